/* Draw an alert's evidence with Plotly (vendored, never from a CDN).
 *
 * Markup: <div class="chart" data-evidence-chart="ID"></div> next to {{ chart|json_script:"ID" }}
 * (data from crisis.templatetags.crisis_evidence.evidence_chart): traces with a `style`
 * (line, dashed, markers, bars, step, band_upper + band_lower), vertical and horizontal
 * reference lines with labels. Lines differ by dash and marker, not by colour only.
 */
(function () {
  "use strict";

  var config = { responsive: true, displaylogo: false, displayModeBar: false };
  var styles = {
    line: { type: "scatter", mode: "lines", line: { color: "#0d6efd", width: 2.5 } },
    dashed: { type: "scatter", mode: "lines", line: { color: "#495057", width: 2, dash: "dash" } },
    markers: {
      type: "scatter", mode: "lines+markers",
      line: { color: "#d63384", width: 1.5 }, marker: { size: 6, symbol: "circle" },
    },
    bars: { type: "bar", marker: { color: "rgba(108,117,125,0.45)" } },
    step: { type: "scatter", mode: "lines", line: { color: "#198754", width: 2, shape: "hv" } },
    band_upper: {
      type: "scatter", mode: "lines", line: { width: 0 }, hoverinfo: "skip", showlegend: false,
    },
    band_lower: {
      type: "scatter", mode: "lines", line: { width: 0 }, fill: "tonexty",
      fillcolor: "rgba(13,110,253,0.18)",
    },
  };

  function trace(item) {
    var base = styles[item.style] || styles.line;
    var result = JSON.parse(JSON.stringify(base));
    result.x = item.x;
    result.y = item.y;
    result.name = item.name;
    if (item.axis === "y2") result.yaxis = "y2";
    return result;
  }

  function figure(data) {
    var shapes = [];
    var annotations = [];
    (data.vlines || []).forEach(function (line) {
      shapes.push({
        type: "line", xref: "x", yref: "paper", x0: line.x, x1: line.x, y0: 0, y1: 1,
        line: { color: "#dc3545", width: 1.5, dash: "dot" },
      });
      annotations.push({
        x: line.x, xref: "x", y: 1, yref: "paper", text: line.label, showarrow: false,
        xanchor: "left", yanchor: "bottom", font: { size: 11, color: "#dc3545" },
      });
    });
    (data.hlines || []).forEach(function (line) {
      var axis = line.axis === "y2" ? "y2" : "y";
      shapes.push({
        type: "line", xref: "paper", yref: axis, x0: 0, x1: 1, y0: line.y, y1: line.y,
        line: { color: "#6c757d", width: 1, dash: "dashdot" },
      });
      annotations.push({
        x: 0, xref: "paper", y: line.y, yref: axis, text: line.label, showarrow: false,
        xanchor: "left", yanchor: "bottom", font: { size: 11, color: "#6c757d" },
      });
    });
    var layout = {
      margin: { t: 24, r: data.y2_title ? 60 : 20, b: 40, l: 55 },
      hovermode: "x unified",
      legend: { orientation: "h", y: -0.2 },
      paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)",
      xaxis: { type: "date" },
      yaxis: { title: { text: data.y_title || "" }, tickformat: data.y_percent ? ".0%" : "" },
      shapes: shapes,
      annotations: annotations,
      bargap: 0.2,
    };
    if (data.y2_title) {
      layout.yaxis2 = {
        title: { text: data.y2_title }, overlaying: "y", side: "right", showgrid: false,
        rangemode: "tozero",
      };
    }
    return { traces: (data.traces || []).map(trace), layout: layout };
  }

  function draw(root) {
    if (typeof Plotly === "undefined") return;
    root.querySelectorAll("[data-evidence-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.evidenceChart);
      if (!source || el.dataset.drawn) return;
      var data = JSON.parse(source.textContent);
      if (!data || !data.traces || !data.traces.length) {
        el.remove();
        return;
      }
      var built = figure(data);
      Plotly.newPlot(el, built.traces, built.layout, config);
      el.dataset.drawn = "1";
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
})();
