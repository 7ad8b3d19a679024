// Live regions: polls data-live-url with the version the page holds and applies what changed.
// The server answers 304 while nothing changed, else JSON (see forum/live.py):
//   regions: {id: innerHTML}  small parts replaced whole (a full answer puts whole lists here)
//   items:   [{id, in, html}] one item's outerHTML, replaced, moved into list "in" or inserted
//   remove:  [id]             items gone since the held version
//   timer:   {...}            the phase state, handed to timer.js as a "live:timer" event
// Inside a list, items stay sorted by their data-order (numbers), as the server renders them.
// Without JavaScript the page works by reload.
(function () {
  "use strict";
  var root = document.querySelector("[data-live-url]");
  if (!root || !window.fetch) return;
  var url = root.getAttribute("data-live-url");
  var interval = parseInt(root.getAttribute("data-poll-ms"), 10) || 1500;
  // Seconds the server may hold a poll while nothing changes (forum/held_polls.py): the poll
  // is answered when something does, so the next one goes out at once, never more often
  // than once per interval.
  var hold = parseFloat(root.getAttribute("data-live-hold")) || 0;
  if (hold > 0) url += (url.indexOf("?") < 0 ? "?" : "&") + "wait=" + hold;
  // The page was rendered at this version: the first poll is a cheap 304 unless it changed.
  var etag = root.getAttribute("data-etag");
  var parser = document.createElement("template");

  // Replacing what the user is working in (focus inside) would take their focus away: it
  // waits, and the old version is kept so that the next poll brings the change again.
  function busy(element) {
    var active = document.activeElement;
    return !!active && active !== document.body && element.contains(active);
  }

  // data-order is a number, or several separated by spaces compared one after the other
  // (e.g. a creation time, then an id to break ties): [] for an element without one.
  function order(element) {
    var text = element.getAttribute("data-order");
    return text ? text.trim().split(/\s+/).map(Number) : [];
  }

  function after(a, b) {
    for (var i = 0; i < a.length && i < b.length; i++) {
      if (a[i] !== b[i]) return a[i] > b[i];
    }
    return a.length > b.length;
  }

  // Insert before the first item that sorts after it; items without data-order stay put.
  function insertSorted(list, item) {
    var rank = order(item), children = list.children;
    for (var i = 0; rank.length && i < children.length; i++) {
      var other = order(children[i]);
      if (other.length && children[i] !== item && after(other, rank)) {
        list.insertBefore(item, children[i]);
        return;
      }
    }
    list.appendChild(item);
  }

  function parse(html) {
    parser.innerHTML = html;
    return parser.content.firstElementChild;
  }

  function removeAll(ids) {
    var complete = true;
    (ids || []).forEach(function (id) {
      var element = document.getElementById(id);
      if (!element) return;
      if (busy(element)) { complete = false; return; }
      element.parentNode.removeChild(element);
    });
    return complete;
  }

  function swapRegions(regions) {
    var complete = true;
    Object.keys(regions || {}).forEach(function (id) {
      var region = document.getElementById(id);
      if (!region || region.innerHTML === regions[id]) return;
      if (busy(region)) { complete = false; return; }
      region.innerHTML = regions[id];
    });
    return complete;
  }

  function placeItems(items) {
    var complete = true;
    (items || []).forEach(function (item) {
      var old = document.getElementById(item.id);
      var list = document.getElementById(item["in"]) || (old && old.parentNode);
      if (!list) return;
      // Unchanged and in its list: leave it, so screen readers hear nothing new.
      if (old && old.parentNode === list && old.outerHTML === item.html) return;
      if (old && busy(old)) { complete = false; return; }
      var fresh = parse(item.html);
      if (!fresh) return;
      if (old) old.parentNode.removeChild(old);
      insertSorted(list, fresh);
    });
    return complete;
  }

  // Removes first (an item may come back under the same id), then regions, then items.
  function apply(data) {
    var complete = removeAll(data.remove);
    complete = swapRegions(data.regions) && complete;
    return placeItems(data.items) && complete;
  }

  function announceTimer(state, at) {
    var event;
    try {
      event = new CustomEvent("live:timer", { detail: { state: state, at: at } });
    } catch (e) {
      return; // a browser this old has no timer script running either
    }
    document.dispatchEvent(event);
  }

  function heldFor(response) {
    var timing = /hold;dur=(\d+)/.exec(response.headers.get("Server-Timing") || "");
    return timing ? Number(timing[1]) : 0;
  }

  // A page may hold its live view still (the projector's pause): no polls, nothing applied.
  function paused() {
    return root.hasAttribute("data-live-paused");
  }

  function poll() {
    if (paused()) { window.setTimeout(poll, interval); return; }
    var headers = etag ? { "If-None-Match": etag } : {};
    var sent = window.performance ? performance.now() : 0;
    var asked = Date.now();
    fetch(url, { headers: headers, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status !== 200) return; // 304: nothing new; anything else: try again later
        var fresh = response.headers.get("ETag");
        return response.json().then(function (data) {
          if (paused()) return; // paused while the answer was on its way: the next poll brings it
          if (apply(data)) etag = fresh;
          // The server measured somewhere between sending and receiving: take the middle.
          // A held answer was measured after its wait (Server-Timing: hold;dur=ms).
          if (data.timer) announceTimer(data.timer, window.performance ? (sent + heldFor(response) + performance.now()) / 2 : 0);
        });
      })
      .catch(function () { /* offline for a moment: try again on the next tick */ })
      .then(function () {
        // Poll less often in a background tab to spare batteries and the server.
        var spacing = document.hidden ? interval * 4 : interval;
        // A held poll may come back after seconds: then it counts towards the spacing.
        window.setTimeout(poll, hold > 0 ? Math.max(spacing - (Date.now() - asked), 0) : spacing);
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
