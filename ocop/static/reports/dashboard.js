/* Dashboard charts: data comes from json_script blocks (no inline script under the CSP). */
(function () {
  "use strict";
  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  function draw() {
    if (typeof Chart === "undefined") { return; }
    var chart = data("chart-data");
    if (!chart) { return; }
    var colours = ["#f0b429", "#1f7a4d", "#c8102e"];
    var trend = document.getElementById("trend-chart");
    if (trend) {
      new Chart(trend, {
        type: "bar",
        data: {
          labels: chart.labels,
          datasets: chart.series.map(function (s, i) {
            return { label: s.label, data: s.data, backgroundColor: colours[i] };
          })
        },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } }
        }
      });
    }
    var groups = document.getElementById("group-chart");
    if (groups) {
      new Chart(groups, {
        type: "bar",
        data: { labels: chart.groups.labels, datasets: [{ label: groups.dataset.label, data: chart.groups.data, backgroundColor: "#1f6f43" }] },
        options: {
          indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false,
          plugins: { legend: { display: false } },
          scales: { x: { beginAtZero: true, ticks: { precision: 0 } } }
        }
      });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
