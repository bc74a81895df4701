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
  // A what-if form sends only the selects changed from the saved selection, so the address stays
  // short and names only the switches (without the script every select is sent; the server
  // ignores those equal to the saved selection).
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof window.HTMLFormElement) || !form.hasAttribute('data-send-changed'))
      return;
    Array.prototype.forEach.call(form.querySelectorAll('select[data-saved]'), function (select) {
      if (select.value === select.getAttribute('data-saved')) select.disabled = true;
    });
  });
  // Back to a page kept by the browser: the selects left out on submit are usable again.
  window.addEventListener('pageshow', function () {
    Array.prototype.forEach.call(
      document.querySelectorAll('form[data-send-changed] select[data-saved]'),
      function (select) {
        select.disabled = false;
      },
    );
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
  // A form whose answer takes seconds (the optimiser's solve): on submit its buttons are disabled
  // (no second solve by a double click) and its status line says it is working, with the seconds
  // elapsed. `data-busy` holds the text, "{s}" standing for the seconds.
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!(form instanceof window.HTMLFormElement) || !form.hasAttribute('data-busy')) return;
    var status = form.querySelector('[data-busy-status]');
    var template = form.getAttribute('data-busy') || '';
    var started = Date.now();
    function show() {
      if (status)
        status.textContent = template.replace(
          '{s}',
          String(Math.round((Date.now() - started) / 1000)),
        );
    }
    show();
    window.setInterval(show, 1000);
    // Disabled after the submit has taken the button's value.
    window.setTimeout(function () {
      Array.prototype.forEach.call(form.querySelectorAll('button[type="submit"]'), function (b) {
        b.disabled = true;
      });
    }, 0);
  });
})();
