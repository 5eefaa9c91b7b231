/* Draw the portal's Plotly charts from data the server put in <script type="application/json">.
 *
 * Markup: <div class="chart" data-chart="ID"></div> next to {{ data|json_script:"ID" }}.
 * Kinds: "sales" (revenue line + units bars), "stock" (on hand + inbound) and "spark" (the
 * dashboard's small KPI trend: one line, no axes, no legend).
 */
(function () {
  "use strict";

  var config = { responsive: true, displaylogo: false, displayModeBar: false };
  var baseLayout = {
    margin: { t: 10, r: 60, b: 40, l: 60 },
    hovermode: "x unified",
    legend: { orientation: "h", y: -0.2 },
    paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: "rgba(0,0,0,0)",
    xaxis: { type: "date" },
  };

  function salesFigure(data) {
    return {
      traces: [
        {
          x: data.x, y: data.units, name: data.labels.units, type: "bar",
          yaxis: "y2", marker: { color: "rgba(108,117,125,0.45)" },
        },
        {
          x: data.x, y: data.revenue, name: data.labels.revenue, type: "scatter",
          mode: "lines", line: { color: "#0d6efd", width: 2 },
        },
      ],
      layout: Object.assign({}, baseLayout, {
        yaxis: { title: { text: data.labels.revenue }, rangemode: "tozero" },
        yaxis2: {
          title: { text: data.labels.units }, overlaying: "y", side: "right",
          rangemode: "tozero", showgrid: false, tickmode: "auto", tickformat: ",~r",
        },
      }),
    };
  }

  function stockFigure(data) {
    return {
      traces: [
        {
          x: data.x, y: data.on_hand, name: data.labels.on_hand, type: "scatter",
          mode: "lines", line: { color: "#198754", width: 2, shape: "hv" },
        },
        {
          x: data.x, y: data.inbound, name: data.labels.inbound, type: "scatter",
          mode: "lines", line: { color: "#fd7e14", width: 1.5, dash: "dot", shape: "hv" },
        },
      ],
      layout: Object.assign({}, baseLayout, { yaxis: { rangemode: "tozero" } }),
    };
  }

  function sparkFigure(data) {
    return {
      traces: [
        {
          x: data.x, y: data.y, name: data.label, type: "scatter", mode: "lines",
          line: { color: "#0d6efd", width: 2 }, fill: "tozeroy", fillcolor: "rgba(13,110,253,0.08)",
          hovertemplate: "%{x|%x}: %{y:,.0f}<extra></extra>",
        },
      ],
      layout: {
        margin: { t: 2, r: 2, b: 2, l: 2 },
        showlegend: false,
        paper_bgcolor: "rgba(0,0,0,0)",
        plot_bgcolor: "rgba(0,0,0,0)",
        xaxis: { type: "date", visible: false, fixedrange: true },
        yaxis: { visible: false, rangemode: "tozero", fixedrange: true },
        hovermode: "closest",
      },
    };
  }

  var figures = { sales: salesFigure, stock: stockFigure, spark: sparkFigure };

  function draw(root) {
    if (typeof Plotly === "undefined") return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.chart);
      if (!source || el.dataset.drawn) return;
      var data = JSON.parse(source.textContent);
      var build = figures[data.kind];
      if (!build) return;
      var figure = build(data);
      Plotly.newPlot(el, figure.traces, figure.layout, config);
      el.dataset.drawn = "1";
    });
  }

  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSettle", function (event) { draw(event.target); });
})();
