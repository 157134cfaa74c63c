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
   Shared plumbing (escaping, configs, start-up) is web/charts.js, loaded before. */
(function () {
  "use strict";

  var kit = window.RegionLinkCharts;
  if (!kit) {
    return;
  }
  var escapeHtml = kit.escapeHtml;

  function axisFormat() {
    return new Intl.NumberFormat(kit.english ? "en-GB" : "vi-VN", { maximumFractionDigits: 2 });
  }

  function tooltip(config) {
    var labels = config.labels || {};
    var regions = config.regions || [];
    return function (params) {
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
    };
  }

  function buildOption(config, width) {
    var labels = config.labels || {};
    var narrow = width < 640;
    var axis = axisFormat();
    var regions = config.regions || [];
    var option = kit.baseOption(labels.title, "axis", tooltip(config));
    option.color = regions.map(function (r) {
      return r.colour;
    });
    option.grid = { left: 8, right: 16, top: 32, bottom: narrow ? 96 : 64, containLabel: true };
    option.legend = {
      type: "scroll",
      bottom: 0,
      textStyle: { fontSize: narrow ? 11 : 12 },
    };
    option.xAxis = { type: "category", data: config.years || [], boundaryGap: false };
    option.yAxis = {
      type: "value",
      name: config.unit || "",
      nameTextStyle: { align: "left" },
      scale: true,
      axisLabel: {
        formatter: function (value) {
          return axis.format(value);
        },
      },
    };
    option.series = regions.map(function (r) {
      return {
        name: r.name,
        type: "line",
        symbolSize: 6,
        connectNulls: false,
        data: r.values,
        emphasis: { focus: "series" },
      };
    });
    return option;
  }

  function setUp(element) {
    if (!window.echarts) {
      return;
    }
    var config = kit.readConfig(element, "data-rl-series");
    if (!config) {
      return;
    }
    var chart = kit.initChart(element);
    var option = buildOption(config, element.clientWidth);
    chart.setOption(option, true);
    element.setAttribute("data-series-count", String((config.regions || []).length));
    element.setAttribute("data-chart-state", "ready");
  }

  kit.startAll("[data-rl-series]", setUp);
})();
