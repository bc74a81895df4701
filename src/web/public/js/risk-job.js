/* global document, window */
// Follows a running Monte Carlo: polls its state, moves the progress bar, shows the time left,
// and opens the recorded run when it is done. Without script the page refreshes itself.
(function () {
  'use strict';
  var box = document.getElementById('risk-job');
  if (!box || box.getAttribute('data-state') !== 'running') return;
  var id = box.getAttribute('data-job');
  var bar = document.getElementById('job-progress');
  var done = document.getElementById('job-done');
  var eta = document.getElementById('job-eta');
  var etaTemplate = box.getAttribute('data-eta-template') || '';
  function poll() {
    window
      .fetch('/api/v1/risk-jobs/' + encodeURIComponent(id), { credentials: 'same-origin' })
      .then(function (r) {
        return r.json();
      })
      .then(function (body) {
        var job = body.job;
        if (!job) return;
        bar.value = job.progress.done;
        done.textContent = String(job.progress.done);
        if (job.progress.etaMs !== null && etaTemplate)
          eta.textContent = etaTemplate.replace(
            '{s}',
            String(Math.ceil(job.progress.etaMs / 1000)),
          );
        if (job.state === 'done' && body.run) window.location.assign(body.run.page);
        else if (job.state !== 'running') window.location.reload();
        else window.setTimeout(poll, 500);
      })
      .catch(function () {
        window.setTimeout(poll, 2000);
      });
  }
  window.setTimeout(poll, 300);
})();
