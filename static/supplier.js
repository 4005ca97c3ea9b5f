// Show-if questions appear and disappear as the supplier answers (the server decides
// the same after a save, so the page works without this script).
(function () {
  "use strict";
  var form = document.querySelector(".section-form");
  if (!form) return;
  function answerOf(key) {
    var inputs = form.querySelectorAll('[name="q-' + key + '"]');
    var values = [];
    inputs.forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
      if (input.value) values.push(input.value);
    });
    return values;
  }
  function isShown(fieldset) {
    var controller = fieldset.getAttribute("data-show-if");
    if (!controller) return true;
    var owner = document.getElementById("q-" + controller);
    if (!owner) return !fieldset.hidden; // controlled from another section: as the server said
    if (!isShown(owner)) return false;
    var wanted = fieldset.getAttribute("data-show-values").split(" ");
    return answerOf(controller).some(function (v) { return wanted.indexOf(v) !== -1; });
  }
  function refresh() {
    form.querySelectorAll("fieldset[data-show-if]").forEach(function (fieldset) {
      if (!document.getElementById("q-" + fieldset.getAttribute("data-show-if"))) return;
      fieldset.hidden = !isShown(fieldset);
    });
  }
  // An exclusive option ("None") and the other options of its question untick each other.
  function keepExclusiveAlone(event) {
    var ticked = event.target;
    if (ticked.type !== "checkbox" || !ticked.checked) return;
    var alone = ticked.hasAttribute("data-exclusive");
    form.querySelectorAll('input[type="checkbox"][name="' + ticked.name + '"]').forEach(
      function (other) {
        if (other !== ticked && (alone || other.hasAttribute("data-exclusive"))) {
          other.checked = false;
        }
      }
    );
  }
  form.addEventListener("change", keepExclusiveAlone);
  form.addEventListener("change", refresh);
  refresh();
})();
