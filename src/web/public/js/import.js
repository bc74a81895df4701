/* global document, window */
// The import page: reads a chosen (or dropped) file into the text box, so the form sends its
// text as an ordinary field. Without this script the text can be pasted.
(function () {
  'use strict';
  var input = document.querySelector('[data-import-file]');
  var area = document.querySelector('[data-import-text]');
  var name = document.querySelector('[data-import-name]');
  var status = document.querySelector('[data-import-status]');
  var dataEl = document.getElementById('import-data');
  if (!input || !area || !name || !status || !dataEl) return;
  var data = JSON.parse(dataEl.textContent || '{}');

  function say(template, file, failed) {
    var size = (file.size / 1024).toFixed(1) + ' KB';
    status.textContent = template.replace('{name}', file.name).replace('{size}', size);
    status.classList.toggle('field-error', failed);
  }

  function load(file) {
    if (file.size > data.maxBytes) {
      say(data.messages.tooLarge, file, true);
      input.value = '';
      return;
    }
    var reader = new window.FileReader();
    reader.addEventListener('load', function () {
      area.value = String(reader.result);
      name.value = file.name;
      say(data.messages.read, file, false);
    });
    reader.addEventListener('error', function () {
      say(data.messages.failed, file, true);
    });
    reader.readAsText(file, 'utf-8');
  }

  input.addEventListener('change', function () {
    if (input.files && input.files[0]) load(input.files[0]);
  });
  area.addEventListener('dragover', function (event) {
    event.preventDefault();
  });
  area.addEventListener('drop', function (event) {
    var files = event.dataTransfer && event.dataTransfer.files;
    if (!files || !files[0]) return;
    event.preventDefault();
    load(files[0]);
  });
})();
