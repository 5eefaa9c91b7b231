/* Draw the review pages' Plotly charts from data the server put in <script type="application/json">.
 *
 * Markup: <div class="chart" data-review-chart="ID"></div> next to {{ data|json_script:"ID" }}
 * (data from reviews/views.py). Kinds:
 *   "sentiment_trend": weekly reviews by sentiment (stacked bars) + negative share (line, %);
 *   "aspects":         mentions per aspect, praise / neutral / complaints (stacked, horizontal);
 *   "topic_trend":     a complaint topic's reviews per week (bars);
 *   "negative_share":  weekly negative share (%) of the worst products (one line each).
 */
(function () {
  "use strict";

  var config = { responsive: true, displaylogo: false, displayModeBar: false };
  var colours = {
    positive: "#198754", neutral: "#adb5bd", negative: "#dc3545", pending: "#e9ecef",
    share: "#212529",
  };
  var baseLayout = {
    margin: { t: 10, r: 50, b: 40, l: 50 },
    legend: { orientation: "h", y: -0.2 },
    paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: "rgba(0,0,0,0)",
  };

  function sentimentTrend(data) {
    var bar = function (key) {
      return {
        x: data.x, y: data[key], name: data.labels[key], type: "bar",
        marker: { color: colours[key] },
      };
    };
    var traces = [bar("negative"), bar("neutral"), bar("positive")];
    if (data.pending.some(function (n) { return n > 0; })) traces.push(bar("pending"));
    traces.push({
      x: data.x, y: data.negative_share, name: data.labels.negative_share, type: "scatter",
      mode: "lines+markers", yaxis: "y2", connectgaps: false,
      line: { color: colours.share, width: 1.5 }, marker: { size: 5 },
    });
    return {
      traces: traces,
      layout: Object.assign({}, baseLayout, {
        barmode: "stack",
        hovermode: "x unified",
        xaxis: { type: "date", tickformat: "%d %b" },
        yaxis: { title: { text: data.labels.reviews }, rangemode: "tozero", tickformat: ",d" },
        yaxis2: {
          title: { text: data.labels.negative_share }, overlaying: "y", side: "right",
          range: [0, 100], showgrid: false, ticksuffix: "%",
        },
      }),
    };
  }

  function aspects(data) {
    var bar = function (key) {
      return {
        y: data.y, x: data[key], name: data.labels[key], type: "bar", orientation: "h",
        marker: { color: colours[key] },
      };
    };
    return {
      traces: [bar("negative"), bar("neutral"), bar("positive")],
      layout: Object.assign({}, baseLayout, {
        barmode: "stack",
        hovermode: "y unified",
        margin: { t: 10, r: 20, b: 40, l: 150 },
        xaxis: { title: { text: data.labels.mentions }, rangemode: "tozero", tickformat: ",d" },
        yaxis: { autorange: "reversed", automargin: true },
        height: Math.max(220, 40 + 32 * data.y.length),
      }),
    };
  }

  function topicTrend(data) {
    return {
      traces: [{
        x: data.x, y: data.counts, name: data.labels.counts, type: "bar",
        marker: { color: colours.negative },
      }],
      layout: Object.assign({}, baseLayout, {
        hovermode: "x unified",
        xaxis: { type: "date", tickformat: "%d %b" },
        yaxis: { title: { text: data.labels.counts }, rangemode: "tozero", tickformat: ",d" },
      }),
    };
  }

  function negativeShare(data) {
    return {
      traces: data.series.map(function (series) {
        return {
          x: data.x, y: series.y, name: series.name, type: "scatter",
          mode: "lines+markers", connectgaps: false, marker: { size: 5 },
        };
      }),
      layout: Object.assign({}, baseLayout, {
        hovermode: "x unified",
        xaxis: { type: "date", tickformat: "%d %b" },
        yaxis: { title: { text: data.labels.share }, range: [0, 100], ticksuffix: "%" },
      }),
    };
  }

  var figures = {
    sentiment_trend: sentimentTrend,
    aspects: aspects,
    topic_trend: topicTrend,
    negative_share: negativeShare,
  };

  function draw(root) {
    if (typeof Plotly === "undefined") return;
    root.querySelectorAll("[data-review-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.reviewChart);
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
