// Copy buttons (<button data-copy="element-id">), announced to screen readers; and, on a form that came
// back with errors, focus on the first field to fix.
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

  document.addEventListener("DOMContentLoaded", function () {
    var invalid = document.querySelector(
      ".field.invalid input, .field.invalid textarea, .field.invalid select, form .errors ~ * input:not([type=hidden])");
    if (invalid) invalid.focus();
  });
})();
