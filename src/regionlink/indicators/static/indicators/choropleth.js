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
   No eval, no inline styles: tooltips are plain markup without style attributes. */
(function () {
  "use strict";

  var GREY = "#d9dde2";
  // A sequential scale light → dark (ColorBrewer YlOrRd-like, dark end readable on white).
  var RAMP = ["#fff5d6", "#fdd49e", "#fc8d59", "#d7301f", "#7f0000"];

  function escapeHtml(text) {
    return String(text == null ? "" : text)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#39;");
  }

  function fill(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

  var english = (document.documentElement.lang || "").indexOf("en") === 0;

  function localName(props) {
    return (english && props.name_en) || props.name || props.code;
  }

  // Five classes of (about) as many provinces each: a few large cities would otherwise paint
  // every other province in the palest colour.
  function classes(numbers, decimals) {
    var digits = Math.max(0, Math.min(4, decimals == null ? 1 : decimals));
    var format = new Intl.NumberFormat(english ? "en-GB" : "vi-VN", {
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

  function boundsOf(features) {
    var box = [Infinity, -Infinity, Infinity, -Infinity];
    function visit(coords) {
      if (typeof coords[0] === "number") {
        box[0] = Math.min(box[0], coords[0]);
        box[1] = Math.max(box[1], coords[0]);
        box[2] = Math.min(box[2], coords[1]);
        box[3] = Math.max(box[3], coords[1]);
        return;
      }
      for (var i = 0; i < coords.length; i += 1) {
        visit(coords[i]);
      }
    }
    features.forEach(function (f) {
      if (f.geometry && f.geometry.coordinates) {
        visit(f.geometry.coordinates);
      }
    });
    if (!isFinite(box[0])) {
      return null;
    }
    var pad = Math.max(0.2, (box[3] - box[2]) * 0.02);
    return [
      [box[0] - pad, box[3] + pad],
      [box[1] + pad, box[2] - pad],
    ];
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
    return {
      animation: false,
      aria: { enabled: true, label: { description: labels.title || "" } },
      tooltip: {
        trigger: "item",
        confine: true,
        formatter: function (params) {
          var d = params.data || {};
          var props = d.props || {};
          var entry = d.entry;
          var lines = ["<strong>" + escapeHtml(localName(props)) + "</strong>"];
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
        },
      },
      visualMap: {
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
      },
      series: [
        {
          type: "map",
          map: mapName,
          nameProperty: "code",
          roam: true,
          scaleLimit: { min: 0.8, max: 12 },
          selectedMode: false,
          boundingCoords: boundsOf(features),
          left: narrow ? 8 : 96,
          right: 8,
          top: 8,
          bottom: narrow ? 56 : 8,
          aspectScale: 0.92,
          itemStyle: { borderColor: "#ffffff", borderWidth: 0.7, areaColor: GREY },
          emphasis: {
            label: { show: false },
            itemStyle: { areaColor: "#f2c14e", borderColor: "#1f2328", borderWidth: 2 },
          },
          label: { show: false },
          data: data,
        },
      ],
    };
  }

  function setUp(element) {
    if (!window.echarts) {
      return;
    }
    var source = document.getElementById(element.getAttribute("data-rl-choropleth"));
    var status = document.getElementById(element.getAttribute("data-rl-map-status") || "");
    if (!source) {
      return;
    }
    var config;
    try {
      config = JSON.parse(source.textContent);
    } catch (err) {
      return;
    }
    var labels = config.labels || {};
    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    element.setAttribute("data-map-state", "loading");
    element.setAttribute("aria-busy", "true");
    chart.showLoading({ text: labels.loading || "", color: "#7a1712" });
    fetch(config.url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status + " " + config.url);
        }
        return response.json();
      })
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
        element.setAttribute("data-province-count", String(features.length));
        element.setAttribute("data-valued-count", String(valued));
        element.setAttribute("data-map-state", "ready");
        element.removeAttribute("aria-busy");
        say(fill(labels.shown, { count: features.length, valued: valued }));
      })
      .catch(function (error) {
        chart.hideLoading();
        element.setAttribute("data-map-state", "error");
        element.removeAttribute("aria-busy");
        say(labels.error || "");
        if (window.console && window.console.warn) {
          window.console.warn("RegionLink choropleth:", error);
        }
      });
    chart.on("click", function (params) {
      var props = params.data && params.data.props;
      if (props && config.unitUrl) {
        var href = config.unitUrl.replace("__code__", encodeURIComponent(props.code));
        window.location.href = href + (config.date ? "?date=" + encodeURIComponent(config.date) : "");
      }
    });
    window.addEventListener("resize", function () {
      chart.resize();
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-rl-choropleth]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
