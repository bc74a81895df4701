/* global document, window */
// The scenario editor in the browser: add and remove rows without a round trip, show debt terms
// only for debt instruments, keep one capex field per construction year, and a running funding
// check (exact, in BigInt fen). Without this script the form still works: the row buttons submit
// and the server re-renders; the server always checks the funding again when saving.
(function () {
  'use strict';
  var form = document.getElementById('editor');
  var dataEl = document.getElementById('editor-data');
  if (!form || !dataEl) return;
  var data = JSON.parse(dataEl.textContent || '{}');
  var msg = data.messages;

  function rows(kind) {
    return Array.prototype.slice.call(
      form.querySelectorAll('[data-rows="' + kind + '"] > [data-row]'),
    );
  }
  var next = { source: 0, stream: 0 };
  ['source', 'stream'].forEach(function (kind) {
    rows(kind).forEach(function (row) {
      var i = Number(row.getAttribute('data-index'));
      if (i >= next[kind]) next[kind] = i + 1;
    });
  });

  function renumber() {
    rows('source').forEach(function (row, i) {
      row.querySelector('[data-row-title]').textContent = msg.source.replace('{n}', String(i + 1));
    });
    rows('stream').forEach(function (row, i) {
      var kind = row.getAttribute('data-kind');
      row.querySelector('[data-row-title]').textContent =
        msg.stream.replace('{n}', String(i + 1)) + ' · ' + (data.streamKinds[kind] || kind);
    });
    var empty = form.querySelector('[data-empty-rows]');
    if (empty) empty.hidden = rows('stream').length > 0;
  }

  function addRow(kind, streamKind) {
    var tpl = document.getElementById(
      kind === 'source' ? 'tpl-source' : 'tpl-stream-' + streamKind,
    );
    if (!tpl) return;
    var index = next[kind]++;
    var holder = document.createElement('div');
    holder.innerHTML = tpl.innerHTML.replace(/__i__/g, String(index));
    var row = holder.firstElementChild;
    form.querySelector('[data-rows="' + kind + '"]').appendChild(row);
    renumber();
    var first = row.querySelector('input:not([type=hidden]), select');
    if (first) first.focus();
    check();
  }

  function syncSourceType(select) {
    var row = select.closest('[data-row="source"]');
    if (!row) return;
    var type = select.value;
    var terms = row.querySelector('[data-debt-terms]');
    if (terms) terms.hidden = type !== '' && data.debtTypes.indexOf(type) < 0;
    var owner = row.querySelector('[data-equity-terms]');
    if (owner) owner.hidden = type !== '' && data.equityTypes.indexOf(type) < 0;
    var badge = row.querySelector('[data-pillar-badge]');
    if (badge)
      badge.textContent = data.pillarOf[type] ? data.pillarLabels[data.pillarOf[type]] : '';
  }

  function field(name) {
    return form.elements.namedItem(name);
  }

  function syncCapex() {
    var box = form.querySelector('[data-capex-fields]');
    var years = Number((field('timeline[constructionYears]') || {}).value);
    var start = (field('timeline[startYear]') || {}).value || '';
    var items = Array.prototype.slice.call(box.querySelectorAll('.field'));
    if (Number.isInteger(years) && years >= 1 && years <= 10) {
      while (items.length < years) {
        var copy = items[items.length - 1].cloneNode(true);
        var i = items.length;
        var input = copy.querySelector('input');
        input.id = 'f-capex-scheduleYuan-' + i;
        input.name = 'capex[scheduleYuan][' + i + ']';
        input.value = '';
        input.removeAttribute('aria-invalid');
        input.removeAttribute('aria-describedby');
        copy.querySelector('label').setAttribute('for', input.id);
        copy.classList.remove('has-error');
        var err = copy.querySelector('.field-error');
        if (err) err.remove();
        box.appendChild(copy);
        items.push(copy);
      }
      while (items.length > years) items.pop().remove();
    }
    items.forEach(function (item, i) {
      var label = item.querySelector('label');
      var text = /^\d{4}$/.test(start.trim())
        ? msg.capexYear.replace('{year}', String(Number(start) + i))
        : msg.capexN.replace('{n}', String(i + 1));
      label.textContent = text;
      var req = document.createElement('span');
      req.className = 'req';
      req.setAttribute('aria-hidden', 'true');
      req.textContent = ' *';
      label.appendChild(req);
    });
  }

  // ---- Exact funding check: amounts in fen as BigInt, shares as scaled integers.
  var YUAN = /^\d+(\.\d{1,2})?$/;
  var FRACTION = /^\d+(\.\d+)?$/;
  function compact(s) {
    return String(s || '').replace(/[\s,，_]/g, '');
  }
  function fen(s) {
    var parts = s.split('.');
    return BigInt(parts[0]) * 100n + BigInt(((parts[1] || '') + '00').slice(0, 2));
  }
  function scaled(s) {
    var parts = s.split('.');
    var frac = parts[1] || '';
    return { n: BigInt(parts[0] + frac), scale: frac.length };
  }
  function pow10(k) {
    return 10n ** BigInt(k);
  }
  function yuanText(fenValue) {
    var neg = fenValue < 0n;
    var v = neg ? -fenValue : fenValue;
    var int = (v / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    var frac = (v % 100n).toString().padStart(2, '0');
    return (neg ? '-' : '') + int + '.' + frac;
  }
  // value / 10^scale rounded half-up to a whole number (of fen).
  function roundDiv(value, scale) {
    if (scale === 0) return value;
    var d = pow10(scale);
    var neg = value < 0n;
    var v = neg ? -value : value;
    var q = v / d;
    if ((v % d) * 2n >= d) q += 1n;
    return neg ? -q : q;
  }

  function check() {
    var complete = true;
    var total = 0n;
    var capexInputs = form.querySelectorAll('[data-capex-fields] input');
    if (capexInputs.length === 0) complete = false;
    Array.prototype.forEach.call(capexInputs, function (input) {
      var t = compact(input.value);
      if (YUAN.test(t)) total += fen(t);
      else complete = false;
    });
    var sources = rows('source');
    if (sources.length === 0) complete = false;
    var entries = [];
    var maxScale = 0;
    sources.forEach(function (row) {
      var i = row.getAttribute('data-index');
      var amount = compact((field('funding[sources][' + i + '][amountYuan]') || {}).value);
      var share = compact((field('funding[sources][' + i + '][share]') || {}).value);
      var type = (field('funding[sources][' + i + '][type]') || {}).value;
      var pillar = data.pillarOf[type];
      if (YUAN.test(amount) && share === '')
        entries.push({ n: fen(amount), scale: 0, pillar: pillar });
      else if (FRACTION.test(share) && amount === '') {
        var s = scaled(share);
        entries.push({ n: total * s.n, scale: s.scale, pillar: pillar });
        if (s.scale > maxScale) maxScale = s.scale;
      } else complete = false;
    });
    // Everything in fen × 10^maxScale, so shares add up exactly before rounding for display.
    var funded = 0n;
    var byPillar = { government: 0n, enterprise: 0n, social: 0n };
    entries.forEach(function (e) {
      var v = e.n * pow10(maxScale - e.scale);
      funded += v;
      if (e.pillar) byPillar[e.pillar] += v;
    });
    var gap = total * pow10(maxScale) - funded;
    var show = function (v) {
      return yuanText(roundDiv(v, maxScale));
    };
    var status = !complete ? 'incomplete' : gap === 0n ? 'ok' : gap < 0n ? 'over' : 'short';
    var panel = document.getElementById('funding-check');
    panel.className = 'card check check-' + status;
    panel.querySelector('[data-check="investment"]').textContent = yuanText(total);
    panel.querySelector('[data-check="funded"]').textContent = show(funded);
    panel.querySelector('[data-check="gap"]').textContent = show(gap);
    Object.keys(byPillar).forEach(function (p) {
      var el = panel.querySelector('[data-check-pillar="' + p + '"]');
      if (el) el.textContent = show(byPillar[p]);
    });
    var absGap = show(gap < 0n ? -gap : gap);
    panel.querySelector('[data-check="message"]').textContent =
      status === 'ok'
        ? msg.ok
        : status === 'short'
          ? msg.short.replace('{gap}', absGap)
          : status === 'over'
            ? msg.over.replace('{gap}', absGap)
            : msg.incomplete;
  }

  form.addEventListener('click', function (event) {
    var button = event.target instanceof window.Element ? event.target.closest('button') : null;
    if (!button) return;
    if (button.hasAttribute('data-add-row')) {
      event.preventDefault();
      addRow(button.getAttribute('data-add-row'), button.getAttribute('data-kind'));
    } else if (button.hasAttribute('data-remove-row')) {
      event.preventDefault();
      var row = button.closest('[data-row]');
      if (row) row.remove();
      renumber();
      check();
    }
  });
  form.addEventListener('change', function (event) {
    var el = event.target;
    if (el instanceof window.HTMLSelectElement && /\[type\]$/.test(el.name)) syncSourceType(el);
    if (el.name === 'timeline[constructionYears]' || el.name === 'timeline[startYear]') syncCapex();
    check();
  });
  form.addEventListener('input', function (event) {
    var el = event.target;
    if (el.name === 'timeline[constructionYears]' || el.name === 'timeline[startYear]') syncCapex();
    check();
  });
  Array.prototype.forEach.call(form.querySelectorAll('[data-row="source"] select'), function (s) {
    if (/\[type\]$/.test(s.name)) syncSourceType(s);
  });
  check();
  var summary = document.getElementById('editor-errors');
  if (summary) summary.focus();
})();
