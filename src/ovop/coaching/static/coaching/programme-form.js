// The target-sentra search box lives inside the programme form: Enter there searches
// (htmx's "search" trigger) instead of submitting the whole form.
document.addEventListener("keydown", function (event) {
  if (event.key === "Enter" && event.target.matches && event.target.matches("input.centre-search")) {
    event.preventDefault();
    event.target.dispatchEvent(new Event("search"));
  }
});
