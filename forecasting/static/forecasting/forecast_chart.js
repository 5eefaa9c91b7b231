/* Draw a product's forecast with Plotly: sales history, the P10-P90 band, the P50 line and the
 * actual sales since the forecast started, drawn over the band.
 *
 * Markup: <div class="chart" data-forecast-chart="ID"></div> next to {{ data|json_script:"ID" }}
 * (data from forecasting.views.forecast_chart_data).
 */
(function () {
  "use strict";

  var config = { responsive: true, displaylogo: false, displayModeBar: false };

  function figure(data) {
    var traces = [
      {
        x: data.history.x, y: data.history.y, name: data.labels.history, type: "scatter",
        mode: "lines", line: { color: "#6c757d", width: 1.5 },
      },
    ];
    if (data.forecast.x.length) {
      traces.push(
        {
          x: data.forecast.x, y: data.forecast.p90, type: "scatter", mode: "lines",
          line: { width: 0 }, hoverinfo: "skip", showlegend: false, name: "P90",
        },
        {
          x: data.forecast.x, y: data.forecast.p10, name: data.labels.band, type: "scatter",
          mode: "lines", line: { width: 0 }, fill: "tonexty",
          fillcolor: "rgba(13,110,253,0.18)", hoverinfo: "skip",
        },
        {
          x: data.forecast.x, y: data.forecast.p50, name: data.labels.p50, type: "scatter",
          mode: "lines", line: { color: "#0d6efd", width: 2, dash: "dash" },
        }
      );
    }
    if (data.actuals.x.length) {
      traces.push({
        x: data.actuals.x, y: data.actuals.y, name: data.labels.actuals, type: "scatter",
        mode: "lines+markers", line: { color: "#d63384", width: 2 }, marker: { size: 5 },
      });
    }
    var layout = {
      margin: { t: 10, r: 20, b: 40, l: 50 },
      hovermode: "x unified",
      legend: { orientation: "h", y: -0.2 },
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      xaxis: { type: "date" },
      yaxis: { title: { text: data.labels.units }, rangemode: "tozero" },
    };
    if (data.forecast.x.length) {
      layout.shapes = [{
        type: "line", xref: "x", yref: "paper", x0: data.forecast.x[0], x1: data.forecast.x[0],
        y0: 0, y1: 1, line: { color: "#adb5bd", width: 1, dash: "dot" },
      }];
    }
    return { traces: traces, layout: layout };
  }

  function draw(root) {
    if (typeof Plotly === "undefined") return;
    root.querySelectorAll("[data-forecast-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.forecastChart);
      if (!source || el.dataset.drawn) return;
      var built = figure(JSON.parse(source.textContent));
      Plotly.newPlot(el, built.traces, built.layout, config);
      el.dataset.drawn = "1";
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
})();
