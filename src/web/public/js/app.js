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
})();
