// The progress of a background export: polls its status.json and updates the page; once
// the file is ready (or the job failed) the page is loaded again to show the outcome.
(function () {
  "use strict";
  var section = document.querySelector("[data-status-url]");
  if (!section) return;
  var url = section.getAttribute("data-status-url");
  var bar = section.querySelector("[data-export-bar]");
  var percent = section.querySelector("[data-export-percent]");
  var text = section.querySelector("[data-export-text]");
  var label = section.querySelector("[data-export-label]");
  var delay = 1000;

  function show(status) {
    bar.value = status.percent;
    bar.textContent = status.percent + "%";
    percent.textContent = status.percent;
    text.textContent = status.text;
    label.textContent = status.label;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (status) {
        show(status);
        if (status.pending) {
          delay = Math.min(delay * 1.5, 5000);
          window.setTimeout(poll, delay);
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }

  window.setTimeout(poll, delay);
})();
