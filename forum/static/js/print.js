// Print views: shows the "Drucken" button (hidden without JavaScript, where Strg+P still works)
// and opens the browser's print dialog; a vendored file because the CSP forbids inline script.
(function () {
  "use strict";
  if (!window.print) return;
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
