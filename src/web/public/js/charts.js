/* global document, window */
// Draws the charts described by the page's <script type="application/json" id="chart-data">.
// The descriptions are plain data (see src/web/view-models/charts.ts); formatting lives here.
(function () {
  'use strict';
  var source = document.getElementById('chart-data');
  if (!source || !window.Chart) return;
  var data = JSON.parse(source.textContent || '{}');
  var locale = data.lang === 'zh' ? 'zh-CN' : 'en';
  var places = typeof data.decimals === 'number' ? data.decimals : 2;
  var amount = new window.Intl.NumberFormat(locale, {
    minimumFractionDigits: places,
    maximumFractionDigits: places,
  });
  // Axis ticks: no trailing zeros, but enough places that 0.005 亿元 does not read as 0.
  var tick = new window.Intl.NumberFormat(locale, { maximumFractionDigits: places });
  var ratio = new window.Intl.NumberFormat(locale, {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  var percentTick = new window.Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  var Chart = window.Chart;

  Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = '#4b5563';
  Chart.defaults.borderColor = '#e2e6ea';
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;

  function fmt(kind, value) {
    if (value === null || value === undefined) return '';
    if (kind === 'ratio') return ratio.format(value);
    if (kind === 'percent') return ratio.format(value) + '%';
    return amount.format(value);
  }

  function tickText(kind, value) {
    if (kind === 'ratio') return ratio.format(value);
    if (kind === 'percent') return percentTick.format(value) + '%';
    return tick.format(value);
  }

  function dataset(spec, chartSpec, index) {
    var ds = {
      label: spec.label,
      data: spec.data,
      backgroundColor: spec.color,
      borderColor: spec.color,
      borderWidth: chartSpec.kind === 'line' || spec.line ? 2 : 0,
      yAxisID: spec.right ? 'y1' : 'y',
      spanGaps: false,
    };
    if (chartSpec.kind === 'line' || spec.line) {
      ds.type = 'line';
      ds.backgroundColor = spec.color;
      ds.pointRadius = 2;
      ds.tension = 0.15;
      ds.fill = false;
      ds.order = 0;
      // A line shows its own values: on a stacked amount axis it is a stack of its own, never
      // added onto the bars or onto another line (chart.js adds up the datasets of a stack).
      // Ratios on the right-hand axis need none: that axis never stacks (see config).
      if (!spec.right) ds.stack = 'line-' + index;
      if (spec.dashed) ds.borderDash = [6, 4];
      // Reference lines (a cap, a threshold): no points.
      if (spec.flat) {
        ds.pointRadius = 0;
        ds.pointHoverRadius = 0;
        ds.tension = 0;
      }
    } else {
      ds.order = 1;
      ds.stack = 'bars';
    }
    return ds;
  }

  function config(spec) {
    if (spec.kind === 'doughnut') {
      return {
        type: 'doughnut',
        data: {
          labels: spec.labels,
          datasets: spec.datasets.map(function (d) {
            return {
              label: d.label,
              data: d.data,
              backgroundColor: spec.sliceColors,
              borderWidth: 1,
              borderColor: '#fff',
            };
          }),
        },
        options: {
          cutout: '58%',
          plugins: {
            legend: { position: 'right' },
            tooltip: {
              callbacks: {
                label: function (c) {
                  return c.label + ': ' + fmt('amount', c.parsed) + ' ' + data.unitLabel;
                },
              },
            },
          },
        },
      };
    }
    var hasRight = spec.datasets.some(function (d) {
      return d.right;
    });
    var scales = {
      x: { stacked: !!spec.stacked, grid: { display: false } },
      y: {
        stacked: !!spec.stacked,
        beginAtZero: !!spec.beginAtZero,
        title: { display: !!spec.yTitle, text: spec.yTitle },
        ticks: {
          callback: function (v) {
            return tickText(spec.yFormat, v);
          },
        },
      },
    };
    if (hasRight) {
      // Ratios (DSCR and its covenant) have an axis of their own that never stacks: chart.js
      // stacks an axis whose `stacked` is left unset as soon as its datasets name a stack.
      scales.y1 = {
        position: 'right',
        stacked: false,
        beginAtZero: true,
        grid: { drawOnChartArea: false },
        title: { display: !!spec.rightTitle, text: spec.rightTitle },
        ticks: {
          callback: function (v) {
            return fmt('ratio', v);
          },
        },
      };
    }
    // A horizontal bar chart (a tornado): the value axis is x, the categories run down y.
    if (spec.horizontal) scales = { x: scales.y, y: scales.x };
    var valueOf = function (c) {
      return spec.horizontal ? c.parsed.x : c.parsed.y;
    };
    return {
      type: spec.kind === 'line' ? 'line' : 'bar',
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (d, i) {
          return dataset(d, spec, i);
        }),
      },
      options: {
        indexAxis: spec.horizontal ? 'y' : 'x',
        interaction: { mode: 'index', intersect: false },
        scales: scales,
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 12 } },
          tooltip: {
            callbacks: {
              label: function (c) {
                var kind = c.dataset.yAxisID === 'y1' ? 'ratio' : spec.yFormat;
                return (
                  c.dataset.label +
                  ': ' +
                  fmt(kind, valueOf(c)) +
                  (kind === 'amount' ? ' ' + data.unitLabel : '')
                );
              },
            },
          },
        },
      },
    };
  }

  var charts = [];
  Array.prototype.forEach.call(document.querySelectorAll('canvas[data-chart]'), function (canvas) {
    var spec = data.charts && data.charts[canvas.getAttribute('data-chart')];
    if (!spec) return;
    var drawable = spec.datasets.some(function (d) {
      return d.data.some(function (v) {
        return v !== null && v !== 0;
      });
    });
    if (!drawable) {
      var note = document.createElement('p');
      note.className = 'muted chart-empty';
      note.textContent = data.noData;
      canvas.parentNode.replaceWith(note);
      return;
    }
    charts.push(new Chart(canvas, config(spec)));
    canvas.setAttribute('data-drawn', 'true');
  });
  // Charts redraw at the printed width so the paper copy is not a squeezed screen copy.
  window.addEventListener('beforeprint', function () {
    charts.forEach(function (c) {
      c.resize();
    });
  });
  window.addEventListener('afterprint', function () {
    charts.forEach(function (c) {
      c.resize();
    });
  });
})();
