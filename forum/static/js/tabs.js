// Quadrant tabs: the board's links (?q=…, which work without JavaScript) become ARIA tabs that
// show one quadrant in place, moved between with the arrow keys. ES5 for old phones.
(function () {
  "use strict";
  var nav = document.querySelector("[data-tabs]");
  if (!nav) return;
  var list = nav.querySelector("ul");
  var tabs = Array.prototype.slice.call(list.querySelectorAll("a[data-panel]"));

  function panel(tab) { return document.getElementById(tab.getAttribute("data-panel")); }

  function select(chosen, focus) {
    tabs.forEach(function (tab) {
      var on = tab === chosen;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      panel(tab).hidden = !on;
    });
    if (!focus) return;
    chosen.focus();
    // A reload, or the way back from editing a card, opens the same quadrant.
    if (window.history && history.replaceState) {
      history.replaceState(history.state, "", chosen.href.split("#")[0]);
    }
  }

  list.setAttribute("role", "tablist");
  list.setAttribute("aria-label", nav.getAttribute("aria-label"));
  tabs.forEach(function (tab) {
    tab.parentNode.setAttribute("role", "presentation");
    tab.setAttribute("role", "tab");
    tab.setAttribute("aria-controls", tab.getAttribute("data-panel"));
    tab.removeAttribute("aria-current"); // aria-selected says it now
    panel(tab).setAttribute("role", "tabpanel");
    tab.addEventListener("click", function (event) {
      event.preventDefault();
      select(tab, true);
    });
  });

  list.addEventListener("keydown", function (event) {
    var at = tabs.indexOf(document.activeElement), to = null;
    if (at < 0) return;
    // In a right-to-left page the first tab is on the right: the arrows follow what is seen.
    var forward = getComputedStyle(list).direction === "rtl" ? "ArrowLeft" : "ArrowRight";
    var backward = forward === "ArrowLeft" ? "ArrowRight" : "ArrowLeft";
    if (event.key === forward) to = (at + 1) % tabs.length;
    else if (event.key === backward) to = (at + tabs.length - 1) % tabs.length;
    else if (event.key === "Home") to = 0;
    else if (event.key === "End") to = tabs.length - 1;
    else if (event.key === " " || event.key === "Spacebar") to = at; // a link ignores Space
    if (to === null) return;
    event.preventDefault();
    select(tabs[to], true);
  });

  var current = tabs.filter(function (tab) { return !panel(tab).hidden; })[0] || tabs[0];
  select(current, false);
})();
