// Paper cards by keyboard alone. Enter on the quadrant list sends the card, so typing never
// needs the mouse. The entry form is sent without leaving the page (as the phones' outbox.js
// does): the field is emptied and keeps the focus at once, so the next card can be typed while
// this one travels; cards go out one after the other, each with its key, so a retry stores
// nothing twice. A refused card comes back into the field with the server's words. ES5.
(function () {
  "use strict";
  var form = document.getElementById("quick-form");
  if (!form) return;
  var field = form.elements.text, select = form.elements.quadrant, key = form.elements.client_key;
  var status = document.getElementById("quick-status");
  var queue = [], busy = false, attempt = 0, sentAt = 0;

  select.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    }
  });
  if (!window.fetch || !window.URLSearchParams) return;

  function text(name) { return form.getAttribute("data-" + name); }
  function label(quadrant) {
    var option = select.querySelector('option[value="' + quadrant + '"]');
    return option ? option.textContent : quadrant;
  }
  function say(message) { status.textContent = message; }

  function newKey() {
    var chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    var bytes = window.crypto && crypto.getRandomValues ? crypto.getRandomValues(new Uint8Array(24)) : [];
    for (var i = 0, made = ""; i < 24; i++) {
      made += chars.charAt((i < bytes.length ? bytes[i] : Math.random() * 64) & 63);
    }
    return made;
  }

  // Errors as the server renders them: a list after the field, tied to it; null clears them.
  function showErrors(messages) {
    var old = document.getElementById("quick-text-error");
    if (old) old.parentNode.removeChild(old);
    field.removeAttribute("aria-invalid");
    field.removeAttribute("aria-describedby");
    if (!messages) return;
    var list = document.createElement("ul");
    list.className = "field-errors";
    list.id = "quick-text-error";
    messages.forEach(function (message) {
      var item = document.createElement("li");
      item.textContent = message;
      list.appendChild(item);
    });
    field.parentNode.appendChild(list);
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-describedby", list.id);
  }

  // Nothing typed is lost: the refused text goes back in front of whatever is being typed.
  function giveBack(item, messages) {
    field.value = field.value ? item.text + " " + field.value : item.text;
    select.value = item.quadrant;
    showErrors(messages);
    say(messages.join(" "));
  }

  // How the server answered a paper card (see post_card.js).
  function read(response, finish) {
    var status = response.status;
    // The sign-in page (redirected) or a refused form token: this session is gone.
    if (status === 400 || status === 403 || response.redirected) return finish("session");
    if (status === 200 || status === 422) {
      return response.json().then(function (data) {
        finish(status === 200 && data.ok ? "saved" : "refused", data);
      }, function () { finish("session"); });
    }
    finish("retry");
  }

  function flush() {
    var item = queue[0];
    if (busy || !item) return;
    busy = true;
    window.postCard(form, item, read, function (outcome, data) {
      busy = false;
      if (outcome === "retry") {
        say(text("offline"));
        setTimeout(flush, Math.min(15000, 1000 * Math.pow(2, attempt++)));
        return;
      }
      attempt = 0;
      queue.shift();
      if (outcome === "saved") {
        say(text("saved") + " " + item.text + " (" + label(item.quadrant) + ")");
      } else if (outcome === "refused") {
        var messages = [];
        for (var name in data.errors || {}) messages = messages.concat(data.errors[name]);
        giveBack({ text: data.text || item.text, quadrant: item.quadrant }, messages);
      } else {
        // Every card still waiting comes back, so none is lost while the moderator signs in.
        queue.unshift(item);
        while (queue.length) giveBack(queue.pop(), [text("session")]);
      }
      flush();
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var typed = field.value;
    field.focus();
    if (!typed.trim()) {
      // A second Enter just after sending finds the field empty: no mistake to point out.
      if (Date.now() - sentAt > 2000) showErrors([text("empty")]);
      return;
    }
    queue.push({ text: typed, quadrant: select.value, key: key.value });
    field.value = "";
    key.value = newKey();
    sentAt = Date.now();
    showErrors(null);
    flush();
  });

  // Leaving while cards are on their way would lose them: the browser asks first.
  window.addEventListener("beforeunload", function (event) {
    if (queue.length) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
