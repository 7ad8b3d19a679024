// Live board: polls the group's card lists and swaps them in when the server says they changed.
// Without JavaScript the page still works; a reload shows new cards.
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board || !window.fetch) return;
  var url = board.getAttribute("data-live-url");
  var interval = parseInt(board.getAttribute("data-poll-ms"), 10) || 1500;
  var etag = null;

  function swap(quadrants) {
    Object.keys(quadrants).forEach(function (quadrant) {
      var list = board.querySelector('ul[data-quadrant="' + quadrant + '"]');
      if (list && list.innerHTML !== quadrants[quadrant]) list.innerHTML = quadrants[quadrant];
    });
  }

  function poll() {
    var headers = etag ? { "If-None-Match": etag } : {};
    fetch(url, { headers: headers, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status === 200) {
          etag = response.headers.get("ETag");
          return response.json().then(function (data) { swap(data.quadrants); });
        }
      })
      .catch(function () { /* offline for a moment: try again on the next tick */ })
      .then(function () {
        // Poll less often while the tab is in the background to spare batteries and the server.
        window.setTimeout(poll, document.hidden ? interval * 4 : interval);
      });
  }

  // A double tap must not send the same card twice; the server also ignores repeats by key.
  board.addEventListener("submit", function (event) {
    var button = event.target.querySelector("button[type=submit]");
    if (button) {
      window.setTimeout(function () { button.disabled = true; }, 0);
    }
  });

  window.setTimeout(poll, interval);
})();
