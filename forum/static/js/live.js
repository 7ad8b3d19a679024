// Live regions: polls data-live-url and swaps in the regions the server says changed.
// The server answers 304 while nothing changed. Without JavaScript the page works by reload.
(function () {
  "use strict";
  var root = document.querySelector("[data-live-url]");
  if (!root || !window.fetch) return;
  var url = root.getAttribute("data-live-url");
  var interval = parseInt(root.getAttribute("data-poll-ms"), 10) || 1500;
  // The page was rendered at this version: the first poll is a cheap 304 unless it changed.
  var etag = root.getAttribute("data-etag");

  // Swap regions, except one the user is working in (focus inside): replacing it would
  // take their focus away. Returns false when a region had to wait for the next poll.
  function swap(regions) {
    var complete = true;
    Object.keys(regions).forEach(function (id) {
      var region = document.getElementById(id);
      if (!region || region.innerHTML === regions[id]) return;
      if (region.contains(document.activeElement) && document.activeElement !== document.body) {
        complete = false;
        return;
      }
      region.innerHTML = regions[id];
    });
    return complete;
  }

  function poll() {
    var headers = etag ? { "If-None-Match": etag } : {};
    fetch(url, { headers: headers, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 200) {
          var fresh = response.headers.get("ETag");
          return response.json().then(function (data) {
            if (swap(data.regions)) etag = fresh;
          });
        }
      })
      .catch(function () { /* offline for a moment: try again on the next tick */ })
      .then(function () {
        // Poll less often in a background tab to spare batteries and the server.
        window.setTimeout(poll, document.hidden ? interval * 4 : interval);
      });
  }

  // A double tap must not send a form twice; the server also ignores repeats by key. A form
  // sent by script (outbox.js) stays on the page and must stay usable.
  document.addEventListener("submit", function (event) {
    var button = event.target.querySelector("button[type=submit]");
    if (button) {
      window.setTimeout(function () { if (!event.defaultPrevented) button.disabled = true; }, 0);
    }
  });

  window.setTimeout(poll, interval);
})();
