/* global document, window */
// Follows a running programme optimisation: polls its phase (building the model, solving,
// shadow values k of n), shows the time so far and left, and shows the result when it has ended
// (the page then renders it). Without script the page refreshes itself.
(function () {
  'use strict';
  var box = document.getElementById('plan-job');
  if (!box || box.getAttribute('data-state') !== 'running') return;
  var id = box.getAttribute('data-job');
  var phase = document.getElementById('job-phase');
  var bar = document.getElementById('job-progress');
  var elapsed = document.getElementById('job-elapsed');
  var eta = document.getElementById('job-eta');
  function text(name, values) {
    var out = box.getAttribute('data-' + name) || '';
    Object.keys(values).forEach(function (k) {
      out = out.replace('{' + k + '}', String(values[k]));
    });
    return out;
  }
  function show(p) {
    phase.textContent = text('phase-' + p.phase, { done: p.done, total: p.total });
    if (p.phase === 'shadow') {
      bar.max = Math.max(1, p.total);
      bar.value = p.done;
    }
    elapsed.textContent = text('elapsed', { s: Math.floor(p.elapsedMs / 1000) });
    eta.textContent =
      p.etaMs === null
        ? ''
        : text(p.etaIsLimit ? 'eta-limit' : 'eta', { s: Math.ceil(p.etaMs / 1000) });
  }
  function poll() {
    window
      .fetch('/api/v1/plan-jobs/' + encodeURIComponent(id), { credentials: 'same-origin' })
      .then(function (r) {
        return r.json();
      })
      .then(function (body) {
        var job = body.job;
        if (!job) return;
        if (job.state !== 'running') return window.location.reload();
        show(job.progress);
        window.setTimeout(poll, 500);
      })
      .catch(function () {
        window.setTimeout(poll, 2000);
      });
  }
  window.setTimeout(poll, 300);
})();
