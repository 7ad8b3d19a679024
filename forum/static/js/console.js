// Fast entry: Enter on the quadrant list sends the card, so typing never needs the mouse.
(function () {
  "use strict";
  var select = document.getElementById("quick-quadrant");
  if (!select) return;
  select.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      if (select.form.requestSubmit) select.form.requestSubmit(); else select.form.submit();
    }
  });
})();
