/* Portal behaviour that every page shares. No inline scripts: the CSP allows only ours. */
(function () {
  "use strict";

  var ACTIVITY_KEY = "takatsu-portal:last-activity";

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
      /* The page counts down a minute ahead of the server, so the session is still alive
         here: sign out first, or the login page would send the user straight back, signed
         in, and that request would start a new idle period. */
      var next = window.location.pathname + window.location.search;
      var loginUrl = body.dataset.loginUrl + "?" + new URLSearchParams({ next: next, timeout: "1" });
      fetch(body.dataset.logoutUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken() },
        credentials: "same-origin",
        redirect: "manual",
      })
        .catch(function () {})
        .then(function () {
          window.location.assign(loginUrl);
        });
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

    function hideWarning() {
      if (dialog.open) {
        dialog.close();
        if (returnFocus && returnFocus.focus) {
          returnFocus.focus();
        }
      }
    }

    function restart() {
      deadline = Date.now() + idle * 1000;
      window.clearTimeout(warnTimer);
      window.clearInterval(ticker);
      warnTimer = window.setTimeout(showWarning, Math.max(0, (idle - warning) * 1000));
    }

    /* The session is shared by every tab of the portal: activity in one restarts the count
       in all the others, so an idle tab never signs out someone working in another. */
    function noteActivity() {
      restart();
      try {
        window.localStorage.setItem(ACTIVITY_KEY, String(Date.now()));
      } catch (error) {
        /* Storage may be off; each tab then counts on its own. */
      }
    }

    window.addEventListener("storage", function (event) {
      if (event.key === ACTIVITY_KEY) {
        hideWarning();
        restart();
      }
    });

    keepButton.addEventListener("click", function () {
      fetch(body.dataset.keepaliveUrl, {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken() },
        credentials: "same-origin",
      }).then(function (response) {
        if (response.status === 204) {
          hideWarning();
          noteActivity();
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
    document.addEventListener("htmx:afterRequest", noteActivity);
    noteActivity();
  }

  /* The floor's searchable checkbox list (core.forms.SearchableCheckboxes): a search box,
     labelled by the inputs' data-choice-search, above each such list of checkboxes; the
     choices whose label does not contain the typed text are hidden (checked ones stay), and a
     polite live region says how many are shown. Enter in the box does not submit the form. */
  function setUpChoiceSearch() {
    document.querySelectorAll("input[data-choice-search]").forEach(function (first) {
      var list = first.closest(".form-check") && first.closest(".form-check").parentNode;
      if (!list || list.dataset.choiceSearchReady) {
        return;
      }
      list.dataset.choiceSearchReady = "1";
      var choices = Array.prototype.slice.call(list.querySelectorAll(".form-check"));
      var baseId = first.id.replace(/_\d+$/, "");
      var wrapper = document.createElement("div");
      wrapper.className = "choice-search mb-2";
      var label = document.createElement("label");
      label.className = "form-label small mb-1";
      label.htmlFor = baseId + "_search";
      label.textContent = first.dataset.choiceSearch;
      var box = document.createElement("input");
      box.type = "search";
      box.className = "form-control form-control-sm";
      box.id = baseId + "_search";
      box.autocomplete = "off";
      var status = document.createElement("p");
      status.className = "small text-body-secondary mb-0";
      status.id = baseId + "_search_status";
      status.setAttribute("aria-live", "polite");
      box.setAttribute("aria-describedby", status.id);
      wrapper.appendChild(label);
      wrapper.appendChild(box);
      wrapper.appendChild(status);
      list.parentNode.insertBefore(wrapper, list);

      function update() {
        var term = box.value.trim().toLowerCase();
        var shown = 0;
        choices.forEach(function (choice) {
          var input = choice.querySelector("input");
          var match = term === "" || choice.textContent.toLowerCase().indexOf(term) !== -1;
          choice.hidden = !match && !(input && input.checked);
          if (!choice.hidden) {
            shown += 1;
          }
        });
        status.textContent = choices.length + "件中" + shown + "件を表示しています。";
      }
      box.addEventListener("input", update);
      box.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();
        }
      });
      update();
    });
  }

  document.addEventListener("DOMContentLoaded", setUpSessionWarning);
  document.addEventListener("DOMContentLoaded", setUpChoiceSearch);
})();
