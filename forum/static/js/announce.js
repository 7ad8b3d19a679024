// Confirmations the server renders after a redirect ("Karte gespeichert.") stand in a live
// region (role=status) from the start, but screen readers announce only what changes in a live
// region. So their text is taken out on loading and put back a moment later, which is read out.
// Without JavaScript the message is simply shown.
(function () {
  "use strict";
  var messages = document.querySelectorAll("[role=status] .flash");
  Array.prototype.forEach.call(messages, function (message) {
    var text = document.createDocumentFragment();
    while (message.firstChild) text.appendChild(message.firstChild);
    // Long enough for the screen reader to have met the empty region after the page loaded.
    window.setTimeout(function () {
      if (!message.firstChild) message.appendChild(text);  // unless a newer message took its place
    }, 500);
  });
})();
