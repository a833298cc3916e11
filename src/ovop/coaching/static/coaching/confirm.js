// Forms that delete something carry data-confirm with the question to ask first.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.matches && form.matches("form[data-confirm]") && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
