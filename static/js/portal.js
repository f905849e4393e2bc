/* Portal behaviour that every page shares. No inline scripts: the CSP allows only ours. */
(function () {
  "use strict";

  /* Idle-session warning (WCAG 2.2.1): the server ends a session after `idle` seconds
     without a request; `warning` seconds before that a dialog offers to stay signed in. */
  function setUpSessionWarning() {
    var body = document.body;
    var idle = parseInt(body.dataset.sessionIdle || "", 10);
    var warning = parseInt(body.dataset.sessionWarning || "", 10);
    var dialog = document.getElementById("session-warning");
    if (!idle || !dialog) {
      return;
    }
    var secondsOut = document.getElementById("session-warning-seconds");
    var keepButton = document.getElementById("session-keepalive");
    var deadline = 0;
    var ticker = null;
    var warnTimer = null;
    var returnFocus = null;

    function csrfToken() {
      var headers = JSON.parse(body.getAttribute("hx-headers") || "{}");
      return headers["X-CSRFToken"] || "";
    }

    function expire() {
      var next = window.location.pathname + window.location.search;
      window.location.assign(body.dataset.loginUrl + "?next=" + encodeURIComponent(next) + "&timeout=1");
    }

    function tick() {
      var left = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      secondsOut.textContent = String(left);
      if (left <= 0) {
        window.clearInterval(ticker);
        expire();
      }
    }

    function showWarning() {
      returnFocus = document.activeElement;
      if (!dialog.open) {
        dialog.showModal();
      }
      keepButton.focus();
      tick();
      ticker = window.setInterval(tick, 1000);
    }

    function restart() {
      deadline = Date.now() + idle * 1000;
      window.clearTimeout(warnTimer);
      window.clearInterval(ticker);
      warnTimer = window.setTimeout(showWarning, Math.max(0, (idle - warning) * 1000));
    }

    keepButton.addEventListener("click", function () {
      fetch(body.dataset.keepaliveUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken() },
        credentials: "same-origin",
      }).then(function (response) {
        if (response.status === 204) {
          dialog.close();
          restart();
          if (returnFocus && returnFocus.focus) {
            returnFocus.focus();
          }
        } else {
          expire();
        }
      });
    });
    dialog.addEventListener("cancel", function (event) {
      /* Esc closes the dialog; treat it as "stay signed in" rather than leaving a timer
         running behind a closed dialog. */
      event.preventDefault();
      keepButton.click();
    });
    /* Any request to the server (htmx included) restarts the server's idle time. */
    document.addEventListener("htmx:afterRequest", restart);
    restart();
  }

  document.addEventListener("DOMContentLoaded", setUpSessionWarning);
})();
