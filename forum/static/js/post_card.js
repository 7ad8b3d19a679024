/* One card form sent in the background, for outbox.js (the phone's board) and console.js (paper
   cards typed in by the moderator): url-encoded like a plain form post, with the form's CSRF
   token and the card's key, and answered exactly once. read(response, finish) turns the answer
   into an outcome; no answer within 10 s, or none at all, is "retry". */
(function () {
  "use strict";

  window.postCard = function (form, item, read, done) {
    var body = new URLSearchParams(), finished = false;
    var controller = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () {
      finish("retry");
      if (controller) controller.abort();
    }, 10000);
    function finish(outcome, data) {
      if (!finished) { finished = true; clearTimeout(timer); done(outcome, data || {}); }
    }
    body.append("csrf_token", form.elements.csrf_token.value);
    body.append("quadrant", item.quadrant);
    body.append("text", item.text);
    body.append("client_key", item.key);
    fetch(form.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { Accept: "application/json" }, signal: controller ? controller.signal : undefined
    }).then(function (response) {
      return read(response, finish);
    }).catch(function () { finish("retry"); });
  };
})();
