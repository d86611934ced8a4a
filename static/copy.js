// Copy buttons (<button data-copy="element-id">), announced to screen readers, and one after every code
// block of a page that has none of its own; and, on a form that came back with errors, focus on the first
// field to fix.
(function () {
  function announce(text) {
    var region = document.getElementById("copy-status");
    if (!region) {
      region = document.createElement("p");
      region.id = "copy-status";
      region.className = "visually-hidden";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      document.body.appendChild(region);
    }
    region.textContent = "";
    setTimeout(function () { region.textContent = text; }, 50);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) return;
    var source = document.getElementById(button.getAttribute("data-copy"));
    var text = (source.getAttribute("data-value") || source.textContent).trim();
    function done() {
      // Only the visible word changes, so the button's name keeps what it copies.
      var label = button.querySelector("[data-copy-label]") || button;
      var word = label.textContent;
      label.textContent = "Copied";
      announce("Copied to the clipboard");
      setTimeout(function () { label.textContent = word; }, 1500);
    }
    function fallback() {
      var range = document.createRange();
      range.selectNodeContents(source);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      if (document.execCommand("copy")) done();
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  });

  // The button is named after the heading the block sits under, so a screen reader's list of buttons
  // tells them apart.
  function headingBefore(element) {
    var headings = document.querySelectorAll("main h1, main h2, main h3, main h4");
    var found = null;
    headings.forEach(function (heading) {
      if (heading.compareDocumentPosition(element) & Node.DOCUMENT_POSITION_FOLLOWING) found = heading;
    });
    return found ? found.textContent.trim() : "";
  }

  function addBlockButtons() {
    document.querySelectorAll("main pre > code").forEach(function (code, index) {
      var pre = code.parentNode;
      var targets = [code].concat(Array.prototype.slice.call(code.querySelectorAll("[id]")));
      var hasOwn = targets.some(function (target) {
        return target.id && document.querySelector('[data-copy="' + target.id + '"]');
      });
      if (hasOwn) return;
      if (!code.id) code.id = "code-block-" + (index + 1);
      var row = document.createElement("div");
      row.className = "copy-row";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "secondary small";
      button.setAttribute("data-copy", code.id);
      var label = document.createElement("span");
      label.setAttribute("data-copy-label", "");
      label.textContent = "Copy";
      var context = document.createElement("span");
      context.className = "visually-hidden";
      var heading = headingBefore(pre);
      context.textContent = heading ? " the code under " + heading : " the code above";
      button.appendChild(label);
      button.appendChild(context);
      row.appendChild(button);
      pre.parentNode.insertBefore(row, pre.nextSibling);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    addBlockButtons();
    var invalid = document.querySelector(
      ".field.invalid input, .field.invalid textarea, .field.invalid select, form .errors ~ * input:not([type=hidden])");
    if (invalid) invalid.focus();
  });
})();
