// Django admin's autocomplete boxes (select2) named after their field for screen readers: select2 leaves
// its combobox without a name until something is chosen (axe: aria-input-field-name). A file, not an
// inline script: the Content-Security-Policy allows none.
"use strict";
(function () {
  function name(select) {
    var label = document.querySelector('label[for="' + select.id + '"]');
    var box = select.nextElementSibling; // select2's container, right after the select it replaces
    if (!label || !box || !box.classList.contains("select2")) return;
    if (!label.id) label.id = select.id + "_label";
    var chosen = box.querySelector('[role="textbox"]');
    var names = label.id + (chosen && chosen.id ? " " + chosen.id : "");
    box.querySelectorAll('[role="combobox"], [role="textbox"]').forEach(function (part) {
      part.setAttribute("aria-labelledby", names);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      name(select); // select2 may already be there, or come later: Django starts it when jQuery is ready
      new MutationObserver(function () { name(select); }).observe(select.parentNode, {childList: true});
    });
  });
})();
