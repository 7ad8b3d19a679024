// Projector: keys step through the groups, auto-refresh can be paused, a presentation timer.
// Without JavaScript the page shows everything and the previous/next links still work.
(function () {
  "use strict";
  var slide = document.querySelector("[data-live-url]");
  if (!slide) return;

  function reveal(id) {
    var element = document.getElementById(id);
    if (element) element.hidden = false;
    return element;
  }

  // ---- Auto-refresh, with a pause so the room can discuss a frozen slide.
  var url = slide.getAttribute("data-live-url");
  var interval = parseInt(slide.getAttribute("data-poll-ms"), 10) || 1500;
  var toggle = document.getElementById("refresh-toggle");
  var state = document.getElementById("refresh-state");
  var etag = null;
  var paused = false;
  var busy = false;
  var next = null;

  function swap(regions) {
    Object.keys(regions).forEach(function (id) {
      var region = document.getElementById(id);
      if (region && region.innerHTML !== regions[id]) region.innerHTML = regions[id];
    });
  }

  function schedule(delay) {
    window.clearTimeout(next);
    // One pending timer at most, so pausing and resuming never starts a second polling loop.
    if (!paused) next = window.setTimeout(poll, delay);
  }

  function poll() {
    if (paused || busy || !window.fetch) return;
    busy = true;
    var headers = etag ? { "If-None-Match": etag } : {};
    fetch(url, { headers: headers, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.status !== 200) return;
        return response.json().then(function (data) {
          // A frozen slide stays frozen even when an answer was already on its way.
          if (paused) return;
          etag = response.headers.get("ETag");
          swap(data.regions);
        });
      })
      .catch(function () { /* the venue Wi-Fi dropped for a moment: try on the next tick */ })
      .then(function () {
        busy = false;
        schedule(document.hidden ? interval * 4 : interval);
      });
  }

  function setPaused(value) {
    paused = value;
    toggle.setAttribute("aria-pressed", String(paused));
    state.textContent = state.getAttribute(paused ? "data-paused" : "data-live");
    document.body.classList.toggle("refresh-paused", paused);
    if (paused) window.clearTimeout(next);
    else schedule(0);
  }

  if (toggle && state) {
    reveal("refresh");
    toggle.addEventListener("click", function () { setPaused(!paused); });
  }
  schedule(interval);

  // ---- Presentation timer, measured with performance.now() so a busy tab does not drift.
  var timer = reveal("presentation-timer");
  var display = document.getElementById("timer-display");
  var total = timer ? parseInt(timer.getAttribute("data-seconds"), 10) * 1000 : 0;
  var remaining = total;
  var startedAt = null;
  var ticker = null;

  function button(kind) {
    return timer.querySelector("[data-timer=" + kind + "]");
  }

  function left() {
    if (startedAt === null) return remaining;
    return Math.max(0, remaining - (performance.now() - startedAt));
  }

  function render() {
    var ms = left();
    if (ms <= 0) {
      display.textContent = timer.getAttribute("data-expired");
      timer.classList.add("expired");
      halt(0);
      return;
    }
    var seconds = Math.ceil(ms / 1000);
    var rest = seconds % 60;
    display.textContent = Math.floor(seconds / 60) + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function buttons() {
    var running = startedAt !== null;
    button("start").disabled = running || remaining <= 0;
    button("pause").disabled = !running;
  }

  function halt(ms) {
    remaining = ms;
    startedAt = null;
    window.clearInterval(ticker);
    buttons();
  }

  function start() {
    if (startedAt !== null || remaining <= 0) return;
    startedAt = performance.now();
    ticker = window.setInterval(render, 250);
    buttons();
  }

  function pause() {
    if (startedAt !== null) halt(left());
    render();
  }

  function reset() {
    halt(total);
    timer.classList.remove("expired");
    render();
  }

  if (timer && display) {
    button("start").addEventListener("click", start);
    button("pause").addEventListener("click", pause);
    button("reset").addEventListener("click", reset);
  }

  // ---- Keys: arrows and the PageUp/PageDown that presenter clickers send.
  var STEPS = { ArrowLeft: "prev", PageUp: "prev", ArrowRight: "next", PageDown: "next" };

  // A clicker has only two buttons: PageDown first scrolls to the measures below the matrix,
  // and steps to the next group only at the bottom (PageUp likewise at the top).
  function scrolls(key) {
    var page = document.documentElement;
    if (key === "PageDown") return window.scrollY + window.innerHeight < page.scrollHeight - 2;
    if (key === "PageUp") return window.scrollY > 0;
    return false;
  }

  function typing(target) {
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (typing(event.target)) return;
    var step = STEPS[event.key];
    if (step && !scrolls(event.key)) {
      var link = document.querySelector("a[data-step=" + step + "]");
      if (link) {
        event.preventDefault();
        window.location.assign(link.href);
      }
    } else if ((event.key === "p" || event.key === "P") && toggle) {
      event.preventDefault();
      setPaused(!paused);
    }
  });
  reveal("keys");
})();
