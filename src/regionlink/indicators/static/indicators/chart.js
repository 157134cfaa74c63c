/* RegionLink indicator page: one indicator over the years, one line per region (ECharts).

   Markup: <div id="rl-series" class="rl-chart" data-rl-series="CONFIG-ID"></div> and the
   config as {{ series|json_script:"CONFIG-ID" }} (data, not code: allowed by the CSP):
     years     ["2015", …]
     regions   [{code, name, colour, values: [number|null], labels: ["1.234,5"|""],
                 notes: [""|"(sơ bộ)"]}]
     unit      unit of measure shown on the axis
     decimals  digits after the decimal separator
     labels    {title, missing} translated strings
   The table under the chart carries the same numbers (its text alternative). After drawing,
   the container gets data-chart-state="ready" and data-series-count.
   No eval, no inline styles: tooltips are plain markup without style attributes. */
(function () {
  "use strict";

  function escapeHtml(text) {
    return String(text == null ? "" : text)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#39;");
  }

  var english = (document.documentElement.lang || "").indexOf("en") === 0;

  function axisFormat() {
    return new Intl.NumberFormat(english ? "en-GB" : "vi-VN", { maximumFractionDigits: 2 });
  }

  function buildOption(config, width) {
    var labels = config.labels || {};
    var narrow = width < 640;
    var axis = axisFormat();
    var regions = config.regions || [];
    return {
      animation: false,
      aria: { enabled: true, label: { description: labels.title || "" } },
      color: regions.map(function (r) {
        return r.colour;
      }),
      grid: { left: 8, right: 16, top: 32, bottom: narrow ? 96 : 64, containLabel: true },
      legend: {
        type: "scroll",
        bottom: 0,
        textStyle: { fontSize: narrow ? 11 : 12 },
      },
      tooltip: {
        trigger: "axis",
        confine: true,
        formatter: function (params) {
          if (!params || !params.length) {
            return "";
          }
          var index = params[0].dataIndex;
          var lines = ["<strong>" + escapeHtml(params[0].axisValue) + "</strong>"];
          params.forEach(function (p) {
            var region = regions[p.seriesIndex] || {};
            var shown = (region.labels || [])[index];
            var note = (region.notes || [])[index];
            if (!shown) {
              return; // a region without a value that year (or not existing then)
            }
            lines.push(
              escapeHtml(p.seriesName) + ": " + escapeHtml(shown) + (note ? " " + escapeHtml(note) : "")
            );
          });
          if (lines.length === 1) {
            lines.push(escapeHtml(labels.missing || "—"));
          }
          return lines.join("<br>");
        },
      },
      xAxis: { type: "category", data: config.years || [], boundaryGap: false },
      yAxis: {
        type: "value",
        name: config.unit || "",
        nameTextStyle: { align: "left" },
        scale: true,
        axisLabel: {
          formatter: function (value) {
            return axis.format(value);
          },
        },
      },
      series: regions.map(function (r) {
        return {
          name: r.name,
          type: "line",
          symbolSize: 6,
          connectNulls: false,
          data: r.values,
          emphasis: { focus: "series" },
        };
      }),
    };
  }

  function setUp(element) {
    if (!window.echarts) {
      return;
    }
    var source = document.getElementById(element.getAttribute("data-rl-series"));
    if (!source) {
      return;
    }
    var config;
    try {
      config = JSON.parse(source.textContent);
    } catch (err) {
      return;
    }
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    var option = buildOption(config, element.clientWidth);
    chart.setOption(option, true);
    element.setAttribute("data-series-count", String((config.regions || []).length));
    element.setAttribute("data-chart-state", "ready");
    window.addEventListener("resize", function () {
      chart.resize();
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-rl-series]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
