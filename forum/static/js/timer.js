// Phase timer: counts down from the server's remaining time with performance.now(), never with
// Date.now(), so phones whose clocks are wrong still agree. On a page with live regions the
// state rides on every changed live answer (live.js hands it over as a "live:timer" event);
// only a page without them asks the server itself, every 5 s.
(function () {
  "use strict";
  var box = document.querySelector("[data-timer-url]");
  if (!box || !window.performance) return;
  var url = box.getAttribute("data-timer-url");
  var title = box.querySelector(".timer-title");
  var clock = box.querySelector(".timer-clock");
  var status = document.getElementById("timer-status");
  var doneText = box.getAttribute("data-done-text") || "Zeit abgelaufen";
  var POLL_MS = 5000;
  var endsAt = null; // performance.now() at which the phase ends for this group
  var announced = box.classList.contains("over"); // already over at load: nothing to announce
  var tickTimer = null;

  function format(seconds) {
    var minutes = Math.floor(seconds / 60), rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  function setText(element, text) {
    if (element && element.textContent !== text) element.textContent = text;
  }

  function render() {
    window.clearTimeout(tickTimer);
    if (endsAt === null) return;
    var left = endsAt - performance.now();
    var over = left <= 0;
    setText(clock, over ? doneText : format(Math.ceil(left / 1000)));
    box.classList.toggle("over", over);
    if (over) {
      if (!announced && status) status.textContent = doneText + ": " + title.textContent;
      announced = true;
      return;
    }
    // Wake just after the shown second changes so every screen flips together.
    tickTimer = window.setTimeout(render, (left % 1000) + 20);
  }

  function apply(state, at) {
    if (!state.running) {
      endsAt = null;
      box.hidden = true;
      window.clearTimeout(tickTimer);
      return;
    }
    // A new phase or more time: the end is announced again when it comes. The margin keeps
    // a few milliseconds of drift around zero from announcing it twice.
    if (announced && state.remaining_ms > 2000) {
      announced = false;
      if (status) status.textContent = "";
    }
    setText(title, state.title);
    endsAt = at + state.remaining_ms;
    box.hidden = false;
    render();
  }

  function poll() {
    var sent = performance.now();
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        // The server measured somewhere between sending and receiving: take the middle.
        if (state) apply(state, (sent + performance.now()) / 2);
      })
      .catch(function () { /* offline for a moment: keep counting, try again later */ })
      .then(function () {
        window.setTimeout(poll, document.hidden ? POLL_MS * 4 : POLL_MS);
      });
  }

  var initial = parseInt(box.getAttribute("data-remaining-ms"), 10);
  if (!isNaN(initial)) {
    // The server rendered the page when its response began; count from that moment.
    var nav = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
    apply({ running: true, title: title.textContent, remaining_ms: initial },
          nav && nav.responseStart > 0 ? nav.responseStart : performance.now());
  }
  document.addEventListener("live:timer", function (event) {
    apply(event.detail.state, event.detail.at || performance.now());
  });
  if (window.fetch && !document.querySelector("[data-live-url]")) poll();
})();
