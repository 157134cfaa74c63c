/* RegionLink indicator page: provinces coloured by one indicator's value in one year.

   Builds on the boundaries API that web/map.js draws (/api/v1/boundaries?date=&level=province).
   Markup: <div id="rl-choropleth" class="rl-map" data-rl-choropleth="CONFIG-ID"
   data-rl-map-status="STATUS-ID"></div> and {{ config|json_script:"CONFIG-ID" }}:
     url       outlines of the year's provinces (34 or 63)
     date      the day the provinces are taken on (YYYY-MM-DD), for the unit page links
     values    {province code: {value: number, label: "1.234,5", status: "Sơ bộ",
                note: "(sơ bộ)"|"", demo: bool, coverage: "2/2"}}
     decimals  digits shown in the legend's class limits
     unitUrl   unit page address with "__code__" in place of the province code
     labels    {title, value, status, coverage, demo, missing, loading, error, shown, open}
   The province table beside the map is its text alternative. After each drawing the container
   gets data-province-count (features drawn), data-valued-count and data-map-state="ready".
   Only the colour classes and the tooltip are drawn here; loading the outlines, escaping and
   the drawing states come from web/charts.js (window.RegionLinkCharts), loaded before. */
(function () {
  "use strict";

  var kit = window.RegionLinkCharts;
  if (!kit) {
    return;
  }
  var GREY = "#d9dde2";
  // A sequential scale light → dark (ColorBrewer YlOrRd-like, dark end readable on white).
  var RAMP = ["#fff5d6", "#fdd49e", "#fc8d59", "#d7301f", "#7f0000"];
  var escapeHtml = kit.escapeHtml;

  // Five classes of (about) as many provinces each: a few large cities would otherwise paint
  // every other province in the palest colour.
  function classes(numbers, decimals) {
    var digits = Math.max(0, Math.min(4, decimals == null ? 1 : decimals));
    var format = new Intl.NumberFormat(kit.english ? "en-GB" : "vi-VN", {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    var sorted = numbers.slice().sort(function (a, b) {
      return a - b;
    });
    if (!sorted.length) {
      return [];
    }
    var breaks = [sorted[0]];
    for (var i = 1; i < RAMP.length; i += 1) {
      var cut = sorted[Math.floor((i * sorted.length) / RAMP.length)];
      if (cut > breaks[breaks.length - 1]) {
        breaks.push(cut);
      }
    }
    var last = sorted[sorted.length - 1];
    var pieces = [];
    for (var j = 0; j < breaks.length; j += 1) {
      var low = breaks[j];
      var high = j + 1 < breaks.length ? breaks[j + 1] : last;
      var final = j + 1 === breaks.length;
      var piece = {
        gte: low,
        color: RAMP[Math.round((j * (RAMP.length - 1)) / Math.max(1, breaks.length - 1))],
        label: format.format(low) + " – " + format.format(high),
      };
      if (final) {
        piece.lte = high;
      } else {
        piece.lt = high;
      }
      pieces.push(piece);
    }
    return pieces.reverse();
  }

  function tooltip(labels) {
    return function (params) {
      var d = params.data || {};
      var props = d.props || {};
      var entry = d.entry;
      var lines = ["<strong>" + escapeHtml(kit.localName(props) || props.code) + "</strong>"];
      if (!entry) {
        lines.push(escapeHtml(labels.missing || ""));
      } else {
        lines.push(
          escapeHtml(labels.value || "") + ": " + escapeHtml(entry.label) +
            (entry.note ? " " + escapeHtml(entry.note) : "")
        );
        if (entry.status) {
          lines.push(escapeHtml(labels.status || "") + ": " + escapeHtml(entry.status));
        }
        if (entry.coverage) {
          lines.push(escapeHtml(labels.coverage || "") + ": " + escapeHtml(entry.coverage));
        }
        if (entry.demo) {
          lines.push("<em>" + escapeHtml(labels.demo || "") + "</em>");
        }
      }
      if (labels.open) {
        lines.push("<small>" + escapeHtml(labels.open) + "</small>");
      }
      return lines.join("<br>");
    };
  }

  function buildOption(config, mapName, features, width) {
    var labels = config.labels || {};
    var values = config.values || {};
    var narrow = width < 640;
    var data = features.map(function (feature) {
      var props = feature.properties;
      var entry = values[props.code];
      var item = { name: props.code, props: props, entry: entry || null };
      if (entry && entry.value != null) {
        item.value = entry.value;
      } else {
        item.itemStyle = { areaColor: GREY };
      }
      return item;
    });
    var numbers = data
      .filter(function (d) {
        return d.value != null;
      })
      .map(function (d) {
        return d.value;
      });
    var option = kit.baseOption(labels.title, "item", tooltip(labels));
    option.visualMap = {
      type: "piecewise",
      pieces: classes(numbers, config.decimals),
      left: 8,
      bottom: 8,
      orient: "vertical",
      itemWidth: 14,
      itemHeight: 10,
      itemGap: 4,
      textStyle: { color: "#1f2328", fontSize: narrow ? 10 : 12 },
      outOfRange: { color: GREY },
    };
    option.series = [
      kit.mapSeries(mapName, GREY, {
        boundingCoords: kit.boundsOf(features),
        left: narrow ? 8 : 96,
        right: 8,
        top: 8,
        bottom: narrow ? 56 : 8,
        emphasis: {
          label: { show: false },
          itemStyle: { areaColor: "#f2c14e", borderColor: "#1f2328", borderWidth: 2 },
        },
        data: data,
      }),
    ];
    return option;
  }

  function setUp(element) {
    if (!window.echarts) {
      return;
    }
    var config = kit.readConfig(element, "data-rl-choropleth");
    if (!config) {
      return;
    }
    var labels = config.labels || {};
    var say = kit.statusLine(element);
    var chart = kit.initChart(element);
    kit.mapLoading(element, chart, labels);
    kit
      .fetchJson(config.url)
      .then(function (collection) {
        var features = collection.features || [];
        var mapName = "rl-choropleth-" + config.url;
        window.echarts.registerMap(mapName, { type: "FeatureCollection", features: features });
        chart.hideLoading();
        chart.setOption(buildOption(config, mapName, features, element.clientWidth), true);
        var valued = features.filter(function (f) {
          var entry = (config.values || {})[f.properties.code];
          return entry && entry.value != null;
        }).length;
        kit.mapReady(element, {
          "data-province-count": String(features.length),
          "data-valued-count": String(valued),
        });
        say(kit.fill(labels.shown, { count: features.length, valued: valued }));
      })
      .catch(function (error) {
        kit.mapFailed(element, chart, say, labels, "RegionLink choropleth", error);
      });
    chart.on("click", function (params) {
      var props = params.data && params.data.props;
      if (props && config.unitUrl) {
        window.location.href = kit.unitHref(config.unitUrl, props.code, config.date);
      }
    });
  }

  kit.startAll("[data-rl-choropleth]", setUp);
})();
