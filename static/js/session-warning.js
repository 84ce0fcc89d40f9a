// Warns a signed-in person before their session ends, and keeps it going while they type.
//
// Ladder signs people out after an hour without a request; typing into a form is not a
// request, so a long reflective account could be lost. base.html renders a hidden warning with
// the session's end (epoch seconds) and the keep-alive URL. Five minutes before the end the
// warning shows with a "Stay signed in" button; typing asks the server at most once every
// five minutes. Each answer says when the session now ends.
(function () {
  "use strict";
  var box = document.getElementById("session-warning");
  if (!box || !window.fetch) return;

  var WARN_BEFORE = Number(box.getAttribute("data-warn-before") || 300) * 1000;
  var TYPING_EVERY = 5 * 60 * 1000;
  var endsAt = Number(box.getAttribute("data-ends-at")) * 1000;
  var url = box.getAttribute("data-keep-alive-url");
  var timer = null;
  var lastPing = Date.now();

  function timeOf(ms) {
    return new Date(ms).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" });
  }

  function schedule() {
    window.clearTimeout(timer);
    if (!endsAt) return;
    box.querySelector("[data-session-end]").textContent = timeOf(endsAt);
    var wait = endsAt - WARN_BEFORE - Date.now();
    if (wait <= 0) {
      box.hidden = false;
    } else {
      box.hidden = true;
      timer = window.setTimeout(schedule, Math.min(wait, 2147483647));
    }
  }

  function keepAlive() {
    lastPing = Date.now();
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok || response.redirected) throw new Error("signed out");
        return response.json();
      })
      .then(function (data) {
        if (data.ends_at) endsAt = data.ends_at * 1000;
        schedule();
      })
      .catch(function () {
        box.querySelector("p").textContent =
          "You have been signed out. Send the form anyway: what you typed is kept, and sent once you sign in again.";
        box.querySelector("[data-session-extend]").hidden = true;
        box.hidden = false;
      });
  }

  box.querySelector("[data-session-extend]").addEventListener("click", keepAlive);
  document.addEventListener("input", function () {
    if (Date.now() - lastPing > TYPING_EVERY) keepAlive();
  });
  schedule();
})();
