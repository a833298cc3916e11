/* Dashboard charts: vendored Chart.js, built from the JSON data blocks the page renders with
   Django's json_script (data, not script, so a strict CSP allows them), and a PNG download
   per chart. Each chart's numbers are also in the table beside it; without JavaScript the
   tables and the xlsx/CSV downloads still work and the PNG links stay hidden. */
(function () {
  "use strict";
  var INK = "#1f2937";
  var GRID = "#d1d5db";

  // Canvases are transparent: paint white so the PNG reads well anywhere.
  var whiteBackground = {
    id: "ovopWhiteBackground",
    beforeDraw: function (chart) {
      var context = chart.ctx;
      context.save();
      context.globalCompositeOperation = "destination-over";
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, chart.width, chart.height);
      context.restore();
    }
  };

  function dataset(spec, entry) {
    var line = spec.type === "line";
    var result = {
      label: entry.label,
      data: entry.data,
      backgroundColor: entry.colour,
      // White edges keep neighbouring segments of a stacked bar apart.
      borderColor: line ? entry.colour : "#ffffff",
      borderWidth: line ? 2 : 1,
      pointStyle: entry.pointStyle || "circle",
      spanGaps: true
    };
    if (line) { result.pointRadius = 5; result.pointHoverRadius = 7; }
    else { result.maxBarThickness = 48; }
    if (entry.dashed) { result.borderDash = [6, 4]; }
    if (entry.axis === "score") { result.yAxisID = "score"; }
    return result;
  }

  function axisTitle(text) {
    return { display: Boolean(text), text: text || "", color: INK };
  }

  // On a phone the bars need the width: shorter area names, no category axis title (the
  // table below has the full names).
  function shorten(label) {
    var short = String(label).replace(/^Kabupaten /, "Kab. ").replace(/^Provinsi /, "");
    return short.length > 18 ? short.slice(0, 17) + "\u2026" : short;
  }

  function scales(spec, narrow) {
    var value = {
      beginAtZero: true, stacked: spec.stacked, grid: { color: GRID },
      ticks: { precision: 0, color: INK }, title: axisTitle(spec.axes.value)
    };
    var category = {
      // Offset: a single cycle's points sit in the middle, not on the edge.
      stacked: spec.stacked, grid: { display: false }, offset: true,
      ticks: {
        color: INK, autoSkip: false,
        callback: function (value) {
          var label = this.getLabelForValue(value);
          return narrow ? shorten(label) : label;
        }
      },
      title: narrow ? axisTitle("") : axisTitle(spec.axes.category)
    };
    var result = spec.horizontal ? { x: value, y: category } : { x: category, y: value };
    if (spec.axes.score) {
      result.score = {
        position: "right", min: 0, max: 100, grid: { drawOnChartArea: false },
        ticks: { color: INK }, title: axisTitle(spec.axes.score)
      };
    }
    return result;
  }

  // One bar per area: give each bar room instead of squeezing 38 provinces into 22rem.
  function fitHeight(box, spec) {
    if (!spec.horizontal) { return; }
    var perBar = spec.stacked ? 26 : 12 * spec.datasets.length + 10;
    box.style.height = Math.max(240, spec.labels.length * perBar + 120) + "px";
  }

  function offerPng(chart, canvas) {
    var link = document.querySelector('a.chart-png[data-canvas="' + canvas.id + '"]');
    if (!link) { return; }
    link.addEventListener("click", function () {
      // The picture leaves the page, so it carries its title (the page shows it as a heading).
      chart.options.plugins.title.display = true;
      chart.update("none");
      link.href = canvas.toDataURL("image/png");
      chart.options.plugins.title.display = false;
      chart.update("none");
    });
    var holder = link.closest(".chart-png-item");
    if (holder) { holder.hidden = false; }
  }

  function build(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    fitHeight(canvas.parentElement, spec);
    var chart = new Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (entry) { return dataset(spec, entry); })
      },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: document.documentElement.lang || "id",
        interaction: { mode: "index", intersect: false, axis: spec.horizontal ? "y" : "x" },
        plugins: {
          legend: {
            position: "bottom",
            labels: { color: INK, usePointStyle: spec.type === "line" }
          },
          title: {
            display: false, text: canvas.dataset.title || "", color: INK,
            font: { size: 15, weight: "bold" }
          }
        },
        scales: scales(spec, canvas.parentElement.clientWidth < 560)
      },
      plugins: [whiteBackground]
    });
    canvas.dataset.rendered = "true";
    offerPng(chart, canvas);
  }

  function start() {
    if (typeof Chart === "undefined") { return; }
    Chart.defaults.color = INK;
    var canvases = document.querySelectorAll("canvas.dashboard-chart[data-chart]");
    Array.prototype.forEach.call(canvases, build);
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
