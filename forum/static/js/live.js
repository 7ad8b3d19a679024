// Live regions: polls data-live-url and swaps in the regions the server says changed.
// The server answers 304 while nothing changed. Without JavaScript the page works by reload.
(function () {
  "use strict";
  var root = document.querySelector("[data-live-url]");
  if (!root || !window.fetch) return;
  var url = root.getAttribute("data-live-url");
  var interval = parseInt(root.getAttribute("data-poll-ms"), 10) || 1500;
  var etag = null;

  function swap(regions) {
    Object.keys(regions).forEach(function (id) {
      var region = document.getElementById(id);
      if (region && region.innerHTML !== regions[id]) region.innerHTML = regions[id];
    });
  }

  function poll() {
    var headers = etag ? { "If-None-Match": etag } : {};
    fetch(url, { headers: headers, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 200) {
          etag = response.headers.get("ETag");
          return response.json().then(function (data) { swap(data.regions); });
        }
      })
      .catch(function () { /* offline for a moment: try again on the next tick */ })
      .then(function () {
        // Poll less often in a background tab to spare batteries and the server.
        window.setTimeout(poll, document.hidden ? interval * 4 : interval);
      });
  }

  // A double tap must not send a form twice; the server also ignores repeats by key.
  document.addEventListener("submit", function (event) {
    var button = event.target.querySelector("button[type=submit]");
    if (button) window.setTimeout(function () { button.disabled = true; }, 0);
  });

  window.setTimeout(poll, interval);
})();
