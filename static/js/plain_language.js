/* Live plain-language check (やさしい言葉). A field with data-plain-language="standard|easy"
   and data-plain-language-url is checked as the person types (after a pause), and the
   findings are listed under it with a button that applies a replacement. It never stops a
   form from being sent: the check is advice. No inline script: the CSP allows only ours. */
(function () {
  "use strict";

  var DELAY = 700;
  var RETRY_AFTER = 15000;
  var timers = new WeakMap();
  var sequence = new WeakMap();

  function csrfToken() {
    var headers = JSON.parse(document.body.getAttribute("hx-headers") || "{}");
    return headers["X-CSRFToken"] || "";
  }

  function fieldId(field) {
    if (!field.id) {
      field.id = "plain-field-" + Math.random().toString(36).slice(2);
    }
    return field.id;
  }

  function panelOf(field) {
    var id = fieldId(field) + "-plain";
    var panel = document.getElementById(id);
    if (!panel) {
      panel = document.createElement("div");
      panel.id = id;
      panel.className = "plain-findings";
      panel.setAttribute("role", "region");
      panel.setAttribute("aria-live", "polite");
      panel.setAttribute("aria-label", "ことばの点検（" + (labelText(field) || "入力欄") + "）");
      panel.dataset.plainFor = field.id;
      field.insertAdjacentElement("afterend", panel);
      var described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (described.indexOf(id) < 0) {
        described.push(id);
        field.setAttribute("aria-describedby", described.join(" "));
      }
    }
    return panel;
  }

  function labelText(field) {
    var label = field.id ? document.querySelector('label[for="' + field.id + '"]') : null;
    return label ? label.textContent.replace(/\*/g, "").trim() : "";
  }

  function check(field) {
    var url = field.dataset.plainLanguageUrl;
    if (!url) {
      return;
    }
    var panel = panelOf(field);
    var text = field.value;
    if (!text.trim()) {
      panel.innerHTML = "";
      return;
    }
    var number = (sequence.get(field) || 0) + 1;
    sequence.set(field, number);
    var body = new FormData();
    body.append("text", text);
    body.append("profile", field.dataset.plainLanguage || "standard");
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest" },
    })
      .then(function (response) {
        return response.text().then(function (html) {
          return { status: response.status, html: html };
        });
      })
      .then(function (answer) {
        if (sequence.get(field) !== number) {
          return; /* a newer check is on its way */
        }
        if (answer.status === 200 || answer.status === 400 || answer.status === 429) {
          panel.innerHTML = answer.html;
        }
        if (answer.status === 429) {
          schedule(field, RETRY_AFTER);
        }
      })
      .catch(function () {
        /* The check is advice: a failed request leaves the field as it is. */
      });
  }

  function schedule(field, delay) {
    window.clearTimeout(timers.get(field));
    timers.set(
      field,
      window.setTimeout(function () {
        check(field);
      }, delay)
    );
  }

  /* Offsets from the server count characters (code points); JavaScript strings count UTF-16
     units, which differ for characters outside the BMP such as 𠮷. */
  function unitOffset(text, codePoints) {
    var units = 0;
    var seen = 0;
    while (seen < codePoints && units < text.length) {
      var code = text.charCodeAt(units);
      units += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
      seen += 1;
    }
    return units;
  }

  function replace(button) {
    var panel = button.closest(".plain-findings");
    var field = panel ? document.getElementById(panel.dataset.plainFor) : null;
    if (!field) {
      return;
    }
    var text = field.value;
    var from = button.dataset.from;
    var start = unitOffset(text, parseInt(button.dataset.start, 10));
    var end = unitOffset(text, parseInt(button.dataset.end, 10));
    if (text.slice(start, end) !== from) {
      /* The text moved since the check: take the nearest place that still reads the same. */
      var before = text.lastIndexOf(from, start);
      var after = text.indexOf(from, start);
      if (before < 0 && after < 0) {
        check(field);
        return;
      }
      start = after < 0 || (before >= 0 && start - before <= after - start) ? before : after;
      end = start + from.length;
    }
    var to = button.dataset.to;
    field.value = text.slice(0, start) + to + text.slice(end);
    field.focus();
    field.setSelectionRange(start + to.length, start + to.length);
    field.dispatchEvent(new Event("input", { bubbles: true }));
    window.clearTimeout(timers.get(field));
    check(field);
  }

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-plain-language]")) {
      schedule(field, DELAY);
    }
  });

  /* A field that already holds text is checked the first time it gets the focus. */
  document.addEventListener("focusin", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-plain-language]") && !field.dataset.plainChecked) {
      field.dataset.plainChecked = "1";
      if (field.value.trim()) {
        schedule(field, 0);
      }
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".plain-replace") : null;
    if (button) {
      event.preventDefault();
      replace(button);
    }
  });
})();
