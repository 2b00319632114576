// mutua's own script: a few lines; every page works without it.
//
// When htmx swaps a new page in (a boosted link or form), the focus would stay on the
// element that was clicked, now gone. Put it where a person expects it, as a full page
// load would: on the error summary or the notice if the page has one, else on the main
// content. A full page load with an error summary focuses it too (GOV.UK's pattern).
(function () {
  "use strict";
  function focusPage() {
    var target = document.querySelector("[data-focus]");
    if (target) {
      target.focus();
    }
    return target;
  }
  document.addEventListener("DOMContentLoaded", focusPage);
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail && event.detail.target === document.body && !focusPage()) {
      var main = document.getElementById("main");
      if (main) {
        main.focus({ preventScroll: true });
      }
    }
  });
})();
