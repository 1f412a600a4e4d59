// A long contracts import is checked a chunk per request: submit the "continue" form by itself,
// so the progress bar moves without a click. Without JavaScript the button does the same.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-auto-submit]");
  if (form) {
    window.setTimeout(function () { form.submit(); }, 50);
  }
});
