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

// The import page: a file chosen is read into the text field that the form posts (the
// field can also be pasted into, without this script). The field is shown only here.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var input = document.querySelector("input[type=file][data-fills]");
    if (!input || !window.FileReader) {
      return;
    }
    var field = document.getElementById(input.getAttribute("data-fills"));
    document.getElementById(input.id + "-field").hidden = false;
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file || !field) {
        return;
      }
      var reader = new FileReader();
      reader.onload = function () {
        field.value = reader.result;
      };
      reader.readAsText(file, "utf-8");
    });
  });
})();
