// The rubric form's running weight sum: every weight not marked for deletion.
(function () {
  "use strict";

  function total(form) {
    var sum = 0;
    form.querySelectorAll("[data-weight-row]").forEach(function (row) {
      var remove = row.querySelector("[data-weight-delete]");
      if (remove && remove.checked) {
        return;
      }
      row.querySelectorAll("input[data-weight]").forEach(function (input) {
        var value = parseInt(input.value, 10);
        if (!isNaN(value)) {
          sum += value;
        }
      });
    });
    return sum;
  }

  function update(form, output) {
    var sum = total(form);
    output.value = String(sum);
    output.textContent = String(sum);
    var wrong = String(sum) !== output.dataset.target;
    output.classList.toggle("field-error", wrong);
    output.setAttribute("aria-invalid", wrong ? "true" : "false");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("rubric-form");
    var output = document.getElementById("weight-total");
    if (!form || !output) {
      return;
    }
    form.addEventListener("input", function () { update(form, output); });
    form.addEventListener("change", function () { update(form, output); });
    update(form, output);
  });
})();
