/* global document, window */
// Progressive enhancement shared by every page. The pages work without it.
(function () {
  'use strict';
  document.documentElement.classList.add('js');
  document.addEventListener('click', function (event) {
    var target = event.target;
    if (target instanceof window.Element && target.closest('[data-print]')) {
      event.preventDefault();
      window.print();
    }
  });
  // A list of boxes with a limit (the compare page's "tick up to four"): once the limit is
  // ticked the other boxes are disabled. Without the script the server refuses too many.
  function limitChecked(form) {
    var max = Number(form.getAttribute('data-max-checked'));
    var boxes = form.querySelectorAll('input[type="checkbox"]');
    var ticked = form.querySelectorAll('input[type="checkbox"]:checked').length;
    Array.prototype.forEach.call(boxes, function (box) {
      box.disabled = !box.checked && ticked >= max;
    });
  }
  document.addEventListener('change', function (event) {
    var form = event.target instanceof window.Element && event.target.closest('[data-max-checked]');
    if (form) limitChecked(form);
  });
})();
