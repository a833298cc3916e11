// The scoring screen (evaluation/score.html): the side panel's running total, per
// criterion and overall, and the "override needs a comment" hint, kept live as the assessor
// picks levels. The total is Σ weight × level / 5 over the chosen levels, added up in rubric
// order exactly as ovop.evaluation.services.scoring.weighted_total does, so the figure the
// server rendered and the one computed here agree. Without JavaScript the page still works:
// the server's figures stay, and the panel's <details> folds and opens by itself.
(function () {
  "use strict";

  var DESKTOP = "(min-width: 1024px)";

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

  function totals(form) {
    var result = { total: 0, chosen: 0, byCriterion: {} };
    form.querySelectorAll("fieldset.subcriterion").forEach(function (fieldset) {
      var criterion = fieldset.dataset.criterion;
      if (!(criterion in result.byCriterion)) {
        result.byCriterion[criterion] = 0;
      }
      var checked = fieldset.querySelector("input[type=radio][data-weight]:checked");
      if (!checked) {
        return;
      }
      var share = (Number(checked.dataset.weight) * Number(checked.value)) / 5;
      result.total += share;
      result.byCriterion[criterion] += share;
      result.chosen += 1;
    });
    return result;
  }

  function showTotals(form) {
    var result = totals(form);
    var output = document.getElementById("running-total");
    if (output) {
      output.textContent = formatTotal(result.total);
    }
    var count = document.getElementById("chosen-count");
    if (count) {
      count.textContent = String(result.chosen);
    }
    document.querySelectorAll("output[data-criterion-total]").forEach(function (cell) {
      cell.textContent = formatTotal(result.byCriterion[cell.dataset.criterionTotal] || 0);
    });
  }

  function showOverrideNotes(form) {
    form.querySelectorAll("fieldset[data-suggested]").forEach(function (fieldset) {
      var checked = fieldset.querySelector("input[type=radio]:checked");
      var note = fieldset.querySelector("[data-override-note]");
      if (note) {
        note.hidden = !checked || checked.value === fieldset.dataset.suggested;
      }
    });
  }

  // On a desktop the panel is a column that is always open; on a phone it starts folded.
  // (Where the browser can show a closed <details>' content, scoring.css does it already.)
  function followViewport(panel, query) {
    function apply() {
      panel.open = query.matches;
    }
    apply();
    if (query.addEventListener) {
      query.addEventListener("change", apply);
    }
  }

  function openFullDossier(event) {
    var dossier = document.getElementById("dossier");
    if (dossier && dossier.tagName === "DETAILS") {
      dossier.open = true;
    }
    var panel = document.querySelector("details[data-scoring-panel]");
    if (panel && !window.matchMedia(DESKTOP).matches) {
      panel.open = false; // fold the phone's bar so it does not cover what was asked for
    }
    if (event && dossier) {
      event.preventDefault();
      dossier.scrollIntoView();
      history.replaceState(null, "", "#dossier");
    }
  }

  function start() {
    var form = document.querySelector("form[data-score-form]");
    var panel = document.querySelector("details[data-scoring-panel]");
    if (panel && window.matchMedia) {
      followViewport(panel, window.matchMedia(DESKTOP));
    }
    document.querySelectorAll("a[data-open-dossier]").forEach(function (link) {
      link.addEventListener("click", openFullDossier);
    });
    if (!form) {
      return;
    }
    var unsaved = document.getElementById("unsaved-note");
    form.addEventListener("change", function (event) {
      if (event.target.matches("input[type=radio]")) {
        showTotals(form);
        showOverrideNotes(form);
      }
    });
    form.addEventListener("input", function (event) {
      if (unsaved && event.target.id !== "confirmed") {
        unsaved.hidden = false;
      }
    });
    showTotals(form);
    showOverrideNotes(form);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
