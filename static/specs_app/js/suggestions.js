/* "Apply N selected suggestions": the button counts the suggestions ticked in their threads.
 *
 * The form works without this script (the checkboxes belong to it through their form attribute);
 * the script only says how many will be applied, and keeps the button off while none is ticked.
 */
(function () {
  "use strict";

  var form = document.getElementById("suggestions-apply-form");
  if (!form) return;
  var button = form.querySelector("[data-apply-selected]");
  var boxes = Array.prototype.slice.call(document.querySelectorAll('input[form="suggestions-apply-form"]'));

  function count() {
    var ticked = boxes.filter(function (box) {
      return box.checked;
    }).length;
    button.textContent = "Apply " + (ticked || "") + (ticked ? " " : "") + "selected suggestion" + (ticked === 1 ? "" : "s");
    button.disabled = ticked === 0;
  }

  boxes.forEach(function (box) {
    box.addEventListener("change", count);
  });
  count();
})();
