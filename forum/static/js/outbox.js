// Outbox: a card stays on the phone (localStorage) from the tap until the server has it, so a
// dropped connection, a timeout or a reload loses nothing; its key makes each retry store it
// once. Also keeps drafts and shows or locks the forms as the phase allows. ES5 for old phones.
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board || !window.fetch || !window.URLSearchParams) return;
  var code = board.getAttribute("data-outbox");
  var QUEUE = "outbox." + code;
  var session = document.getElementById("outbox-session");
  var forms = {};
  var memory = {}, refused = {}; // for storage that refuses (private mode, full)
  var busy = false, attempt = 0, retry = null, wasClosed = null;

  function get(key) {
    try { if (!refused[key]) return localStorage.getItem(key); } catch (e) { /* below */ }
    return memory[key] || null;
  }
  function put(key, value) {
    memory[key] = value; // what storage refuses is kept for as long as the page lives
    try {
      if (value) localStorage.setItem(key, value); else localStorage.removeItem(key);
      delete refused[key];
    } catch (e) { refused[key] = true; }
  }
  function text(name) { return board.getAttribute("data-" + name); }
  function $(id) { return document.getElementById(id); }
  function el(tag, className, content) {
    var node = document.createElement(tag);
    node.className = className;
    if (content) node.appendChild(content.nodeType ? content : document.createTextNode(content));
    return node;
  }

  // Read afresh each time: another tab of the board may have changed the queue.
  function queued() {
    var items;
    try { items = JSON.parse(get(QUEUE)) || []; } catch (e) { items = []; }
    return items.filter(function (i) {
      return forms[i.quadrant] && /^[\w-]{22,64}$/.test(i.key);
    });
  }
  function drop(key) {
    var rest = queued().filter(function (i) { return i.key !== key; });
    put(QUEUE, rest.length ? JSON.stringify(rest) : "");
  }
  function draft(quadrant) { return "draft." + code + "." + quadrant; }
  function keepDraft(quadrant) { put(draft(quadrant), forms[quadrant].elements.text.value); }

  function newKey() {
    var chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    var random = window.crypto && crypto.getRandomValues;
    var bytes = random ? crypto.getRandomValues(new Uint8Array(24)) : [];
    for (var i = 0, key = ""; i < 24; i++) {
      key += chars.charAt((i < bytes.length ? bytes[i] : Math.random() * 64) & 63);
    }
    return key;
  }

  // The quadrant's status region (role=status) announces what happened to its cards.
  function say(quadrant, message, className) {
    var box = $("status-" + quadrant);
    box.innerHTML = "";
    if (message) box.appendChild(el("p", className || "flash", message));
  }

  function isStored(key) { return board.querySelector('.cards [data-key="' + key + '"]'); }
  function pending(key) { return board.querySelector('[data-pending="' + key + '"]'); }

  function showPending(item) {
    var list = $("pending-" + item.quadrant), cards = $("cards-" + item.quadrant);
    if (pending(item.key)) return;
    if (!list) {
      // Beside the live list, not in it: a live update must not wipe a card on its way. Above
      // it, under the form: the card on its way is seen where it was typed.
      list = el("ul", "cards");
      list.id = "pending-" + item.quadrant;
      cards.parentNode.insertBefore(list, cards);
    }
    var card = el("li", "card own sending", el("p", "card-text", item.text));
    card.setAttribute("data-pending", item.key);
    card.appendChild(el("p", "card-state", text("sending")));
    list.appendChild(card);
    $("q-" + item.quadrant).className += " has-pending";
  }

  function unpend(card) {
    var list = card && card.parentNode;
    if (!list) return;
    list.removeChild(card);
    if (list.children.length) return;
    list.parentNode.className = list.parentNode.className.replace(/ has-pending/g, "");
    list.parentNode.removeChild(list);
  }

  // Field errors as the server renders them, tied to the field; null clears them.
  function showErrors(quadrant, messages) {
    var area = forms[quadrant].elements.text, hint = $(area.id + "-hint");
    var old = $(area.id + "-error");
    if (old) old.parentNode.removeChild(old);
    area.removeAttribute("aria-invalid");
    area.setAttribute("aria-describedby", hint.id);
    if (!messages) return;
    var list = el("ul", "field-errors");
    list.id = area.id + "-error";
    messages.forEach(function (m) { list.appendChild(el("li", "", m)); });
    hint.parentNode.insertBefore(list, hint.nextSibling);
    area.setAttribute("aria-invalid", "true");
    area.setAttribute("aria-describedby", hint.id + " " + list.id);
    say(quadrant, messages.join(" "), "visually-hidden");
  }

  // A refused card goes back into its form with the server's words: nothing typed is lost.
  function giveBack(item, data) {
    var area = forms[item.quadrant].elements.text, back = (data && data.text) || item.text;
    var errors = (data && data.errors) || {}, messages = [];
    area.value = area.value ? back + "\n\n" + area.value : back;
    keepDraft(item.quadrant);
    for (var field in errors) messages = messages.concat(errors[field]);
    showErrors(item.quadrant, messages.length ? messages : [text("failed")]);
    syncForm(item.quadrant);
  }

  // How the server answered a card (see post_card.js).
  function read(response, finish) {
    var status = response.status;
    // Sent to the join page, or the form token refused: this phone's session is gone.
    var joinPage = response.redirected && response.url === session.querySelector("a").href;
    if (status === 400 || joinPage) return finish("session");
    if (status === 200 || status === 409 || status === 422) {
      // A captive portal's own page is no JSON: sent again later.
      return response.json().then(function (data) {
        finish(status !== 200 ? "refused" : data.ok ? "saved" : "retry", data);
      });
    }
    // Too many posts from this phone at once: wait as long as the server asks, then send.
    if (status === 429) return finish("busy", { wait: response.headers.get("Retry-After") });
    finish(status === 408 || status >= 500 ? "retry" : "refused");
  }

  function flush() {
    var item = queued()[0];
    clearTimeout(retry);
    if (busy || !item) return; // a running send goes on with the rest
    if (isStored(item.key)) {
      drop(item.key);
      unpend(pending(item.key));
      return flush();
    }
    busy = true;
    window.postCard(forms[item.quadrant], item, read, function (outcome, data) {
      busy = false;
      if (outcome === "saved" || outcome === "refused") {
        attempt = 0;
        drop(item.key);
        if (outcome === "refused") {
          unpend(pending(item.key));
          giveBack(item, data);
        } else {
          var card = pending(item.key);
          if (card) {
            card.className = "card own";
            card.lastChild.textContent = text("stored");
            // The live poll brings the real card; one the moderator hid meanwhile never comes.
            setTimeout(function () { unpend(card); }, 20000);
          }
          say(item.quadrant, text("saved"));
        }
        flush();
      } else if (outcome === "session") {
        // Kept until the phone has joined again and opens the board.
        var message = el("span", "");
        message.innerHTML = session.innerHTML;
        say(item.quadrant, message, "flash error");
      } else if (outcome === "busy") {
        var seconds = parseInt(data.wait, 10);
        say(item.quadrant, text("busy"));
        retry = setTimeout(flush, 1000 * Math.min(60, Math.max(1, seconds || 5)));
      } else {
        queued().forEach(function (i) { say(i.quadrant, text("offline"), "flash error"); });
        retry = setTimeout(flush, Math.min(30000, 2000 * Math.pow(2, attempt++)));
      }
    });
  }

  // The server puts a note into the quadrant while the phase takes no cards: then the form
  // hides, or, holding text, stays with sending locked.
  function syncForm(quadrant) {
    var form = forms[quadrant], closed = !!$("note-" + quadrant).querySelector("p");
    var hide = closed && !form.elements.text.value && !$("text-" + quadrant + "-error");
    if (form.hidden !== hide) form.hidden = hide;
    form.querySelector("button").disabled = closed;
    return closed;
  }

  function sync() {
    var closed = false, status = $("status");
    Array.prototype.forEach.call(board.querySelectorAll("[data-pending]"), function (card) {
      var key = card.getAttribute("data-pending");
      if (!isStored(key)) return;
      // Stored though its answer never came: the live poll is the confirmation.
      if (/sending/.test(card.className)) say(card.parentNode.id.slice(8), text("saved"));
      drop(key);
      unpend(card);
    });
    for (var quadrant in forms) closed = syncForm(quadrant) || closed;
    if (wasClosed !== null && closed !== wasClosed && status) {
      status.innerHTML = "";
      var note = board.querySelector(".phase-note");
      status.appendChild(el("p", "visually-hidden", closed ? note.textContent : text("opened")));
    }
    wasClosed = closed;
  }

  Array.prototype.forEach.call(board.querySelectorAll("form"), function (form) {
    var quadrant = form.elements.quadrant.value, area = form.elements.text;
    forms[quadrant] = form;
    if (!area.value) area.value = get(draft(quadrant)) || "";
    area.addEventListener("input", function () { keepDraft(quadrant); });
    form.addEventListener("submit", function (event) {
      var item = { quadrant: quadrant, text: area.value, key: form.elements.client_key.value };
      event.preventDefault();
      if (!item.text.trim()) {
        // A second tap just after sending finds the field empty: no mistake to point out.
        if (!(form.sentAt > Date.now() - 2000)) showErrors(quadrant, [text("empty")]);
        return;
      }
      put(QUEUE, JSON.stringify(queued().concat([item]))); // on the phone before it goes out
      area.value = "";
      keepDraft(quadrant);
      form.elements.client_key.value = newKey();
      form.sentAt = Date.now();
      showErrors(quadrant, null);
      say(quadrant, "");
      showPending(item);
      attempt = 0;
      flush();
    });
  });

  window.addEventListener("online", function () { attempt = 0; flush(); });
  queued().forEach(showPending);
  sync();
  // Live updates swap regions of the board: check the forms and waiting cards after each.
  if (window.MutationObserver) {
    new MutationObserver(sync).observe(board, { childList: true, subtree: true });
  } else {
    setInterval(sync, 1000);
  }
  flush();
})();
