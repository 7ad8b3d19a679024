// Projector: keys step through the groups, live.js's refresh can be paused, a presentation timer.
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

  // ---- Auto-refresh comes from live.js; a pause holds the slide so the room can discuss it.
  var toggle = document.getElementById("refresh-toggle");
  var state = document.getElementById("refresh-state");
  var paused = false;

  function setPaused(value) {
    paused = value;
    toggle.setAttribute("aria-pressed", String(paused));
    state.textContent = state.getAttribute(paused ? "data-paused" : "data-live");
    document.body.classList.toggle("refresh-paused", paused);
    // live.js neither polls nor applies an answer while its root carries this attribute.
    slide.toggleAttribute("data-live-paused", paused);
  }

  if (toggle && state) {
    reveal("refresh");
    toggle.addEventListener("click", function () { setPaused(!paused); });
  }

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
