// The inspection walk (templates/inspections/walk.html): after htmx swaps in the next item,
// move the keyboard focus to its heading, so that a keyboard or screen-reader user continues
// where the new item starts. While a photo is being sent, say so in the button.
(function () {
  "use strict";
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "walk-panel") {
      var heading = document.getElementById("walk-item-heading");
      if (heading) {
        heading.focus();
      }
    }
  });
  document.addEventListener("htmx:sendError", function () {
    var status = document.getElementById("walk-status");
    if (status) {
      status.textContent =
        "通信できませんでした。この項目はまだ保存されていません。電波の届く所でもう一度「保存」を押してください。";
    }
  });
})();
