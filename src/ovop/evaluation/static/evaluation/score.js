// The scoring screen's running total (Σ weight × level / 5) and the "override needs a
// comment" hint, updated as the assessor picks levels. The server renders both too, so the
// page works without JavaScript; this only keeps them live.
(function () {
  "use strict";

  function formatTotal(value) {
    var language = document.documentElement.lang || "id";
    try {
      return new Intl.NumberFormat(language, {
        minimumFractionDigits: 1,
        maximumFractionDigits: 1,
      }).format(value);
    } catch (error) {
      return value.toFixed(1);
    }
  }

  function update(form) {
    var total = 0;
    var chosen = 0;
    form.querySelectorAll("input[type=radio][data-weight]:checked").forEach(function (input) {
      total += (Number(input.dataset.weight) * Number(input.value)) / 5;
      chosen += 1;
    });
    var output = document.getElementById("running-total");
    if (output) {
      output.textContent = formatTotal(total);
    }
    var count = document.getElementById("chosen-count");
    if (count) {
      count.textContent = String(chosen);
    }
    form.querySelectorAll("fieldset[data-suggested]").forEach(function (fieldset) {
      var checked = fieldset.querySelector("input[type=radio]:checked");
      var note = fieldset.querySelector("[data-override-note]");
      if (note) {
        note.hidden = !checked || checked.value === fieldset.dataset.suggested;
      }
    });
  }

  function start() {
    var form = document.querySelector("form[data-score-form]");
    if (!form) {
      return;
    }
    form.addEventListener("change", function (event) {
      if (event.target.matches("input[type=radio]")) {
        update(form);
      }
    });
    update(form);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
