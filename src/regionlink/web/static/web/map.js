/* RegionLink maps: provinces coloured by region (Apache ECharts, canvas renderer).

   Markup: <div id="rl-map" data-rl-map="CONFIG-ID"></div> and the config as
   {{ config|json_script:"CONFIG-ID" }} (data, not code: allowed by the CSP). Config:
     mode      "country" (all provinces) or "region" (the members of `focus` and its outline)
     views     [{key, date, url, outlineUrl?}]: boundaries of one date each (GeoJSON from
               /api/v1/boundaries); `selected` is the key shown first
     colours   {region code: "#rrggbb"}
     unitUrl   unit page address with "__code__" in place of the province code
     labels    translated strings
     syncUrl   keep ?date= in the address bar when the view changes
   Buttons with data-rl-map-view="KEY" and aria-controls="MAP-ID" switch views; elements with
   data-rl-era="KEY" are shown only while that view is. After each drawing the container gets
   data-province-count (features drawn), data-map-date and data-map-state="ready".
   Shared plumbing (fetching, escaping, drawing states) is web/charts.js, loaded before. */
(function () {
  "use strict";

  var kit = window.RegionLinkCharts;
  if (!kit) {
    return;
  }
  var GREY = "#B8BEC6";
  var escapeHtml = kit.escapeHtml;
  var localName = kit.localName;

  function vnDate(iso) {
    var parts = String(iso || "").split("-");
    return parts.length === 3 ? parts[2] + "/" + parts[1] + "/" + parts[0] : iso;
  }

  function archipelagoPoints(archipelagos, narrow) {
    return archipelagos.map(function (item) {
      return {
        name: localName(item) + (narrow ? "\n(" : " (") + localName(item, "province_name") + ")",
        coord: [item.lon, item.lat],
        value: item.province_code,
      };
    });
  }

  function tooltip(labels) {
    return function (params) {
      if (params.componentType === "markPoint") {
        return "<strong>" + escapeHtml(params.name) + "</strong>";
      }
      var props = (params.data && params.data.props) || {};
      if (params.data && params.data.isOutline) {
        return "<strong>" + escapeHtml(localName(props)) + "</strong>";
      }
      var region = localName(props, "region_name") || labels.noRegion || "";
      return (
        "<strong>" + escapeHtml(localName(props) || params.name) + "</strong><br>" +
        escapeHtml(labels.region || "") + ": " + escapeHtml(region) +
        (labels.open ? "<br><small>" + escapeHtml(labels.open) + "</small>" : "")
      );
    };
  }

  function buildOption(config, mapName, provinces, outline, archipelagos, width) {
    var labels = config.labels || {};
    var narrow = width < 640;
    // Pixels kept free east of the map for the archipelago labels, which are drawn to the right.
    var labelRoom = archipelagos.length ? (narrow ? 96 : 200) : 8;
    var colours = config.colours || {};
    var data = [];
    outline.forEach(function (feature) {
      var colour = colours[feature.properties.code] || GREY;
      data.push({
        name: feature.properties.code,
        isOutline: true,
        props: feature.properties,
        itemStyle: { areaColor: colour, borderColor: "#1f2328", borderWidth: 3 },
        emphasis: { disabled: true },
        select: { disabled: true },
      });
    });
    provinces.forEach(function (feature) {
      var props = feature.properties;
      var colour = colours[props.region_code] || GREY;
      data.push({
        name: props.code,
        props: props,
        itemStyle: { areaColor: colour },
        emphasis: { itemStyle: { areaColor: colour, borderColor: "#1f2328", borderWidth: 2 } },
      });
    });
    var option = kit.baseOption(labels.mapTitle, "item", tooltip(labels));
    option.series = [
      kit.mapSeries(mapName, GREY, {
        boundingCoords: kit.boundsOf(outline.concat(provinces), archipelagos),
        left: 8,
        right: labelRoom,
        top: 8,
        bottom: 8,
        emphasis: { label: { show: false } },
        data: data,
        markPoint: {
          symbol: "circle",
          symbolSize: 7,
          itemStyle: { color: "#7a1712", borderColor: "#ffffff", borderWidth: 1 },
          label: {
            show: true,
            position: "right",
            distance: 4,
            color: "#1f2328",
            fontSize: narrow ? 10 : 11,
            lineHeight: narrow ? 12 : 14,
            fontWeight: 600,
            formatter: "{b}",
            textBorderColor: "#ffffff",
            textBorderWidth: 3,
          },
          data: archipelagoPoints(archipelagos, narrow),
        },
      }),
    ];
    return option;
  }

  function RegionMap(element, config) {
    this.element = element;
    this.config = config;
    this.say = kit.statusLine(element);
    this.chart = kit.initChart(element);
    this.current = null;
    var self = this;
    this.chart.on("click", function (params) {
      if (params.componentType !== "series" || !params.data || params.data.isOutline) {
        return;
      }
      window.location.href = kit.unitHref(
        self.config.unitUrl, params.data.props.code, self.currentDate()
      );
    });
  }

  RegionMap.prototype.view = function (key) {
    var views = this.config.views || [];
    for (var i = 0; i < views.length; i += 1) {
      if (views[i].key === key) {
        return views[i];
      }
    }
    return views[0];
  };

  RegionMap.prototype.currentDate = function () {
    return this.current ? this.current.date : "";
  };

  RegionMap.prototype.show = function (key) {
    var self = this;
    var view = this.view(key);
    var labels = this.config.labels || {};
    if (!view) {
      return Promise.resolve();
    }
    kit.mapLoading(this.element, this.chart, labels);
    var requests = [kit.fetchJson(view.url)];
    if (view.outlineUrl) {
      requests.push(kit.fetchJson(view.outlineUrl));
    }
    return Promise.all(requests).then(
      function (answers) {
        var collection = answers[0];
        var provinces = collection.features || [];
        var outline = [];
        var focus = self.config.focus;
        if (focus) {
          provinces = provinces.filter(function (f) {
            return f.properties.region_code === focus;
          });
          outline = ((answers[1] && answers[1].features) || []).filter(function (f) {
            return f.properties.code === focus;
          });
        }
        var shown = {};
        provinces.forEach(function (f) {
          shown[f.properties.code] = true;
        });
        var archipelagos = (collection.archipelagos || []).filter(function (a) {
          return shown[a.province_code];
        });
        var mapName = "rl-" + (focus || "vn") + "-" + view.date;
        window.echarts.registerMap(mapName, {
          type: "FeatureCollection",
          features: outline.concat(provinces),
        });
        self.chart.hideLoading();
        var option = buildOption(
          self.config, mapName, provinces, outline, archipelagos, self.element.clientWidth
        );
        self.chart.setOption(option, true);
        self.current = view;
        kit.mapReady(self.element, {
          "data-province-count": String(provinces.length),
          "data-map-date": view.date,
        });
        self.say(kit.fill(labels.shown, { count: provinces.length, date: vnDate(view.date) }));
        self.prefetch();
      },
      function (error) {
        kit.mapFailed(self.element, self.chart, self.say, labels, "RegionLink map", error);
      }
    );
  };

  // Fetch the other views once the first is drawn, so that switching is instant.
  RegionMap.prototype.prefetch = function () {
    (this.config.views || []).forEach(function (view) {
      kit.fetchJson(view.url).catch(function () {});
      if (view.outlineUrl) {
        kit.fetchJson(view.outlineUrl).catch(function () {});
      }
    });
  };

  function syncControls(mapId, key) {
    var buttons = document.querySelectorAll('[data-rl-map-view][aria-controls="' + mapId + '"]');
    Array.prototype.forEach.call(buttons, function (button) {
      var on = button.getAttribute("data-rl-map-view") === key;
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.classList.toggle("active", on);
    });
    var panels = document.querySelectorAll("[data-rl-era]");
    Array.prototype.forEach.call(panels, function (panel) {
      panel.hidden = panel.getAttribute("data-rl-era") !== key;
    });
  }

  function syncAddress(view) {
    if (!window.history || !window.history.replaceState || !window.URL) {
      return;
    }
    var url = new URL(window.location.href);
    url.searchParams.set("date", view.date);
    window.history.replaceState(null, "", url.pathname + url.search + url.hash);
  }

  function setUp(element) {
    if (!window.echarts) {
      return;
    }
    var config = kit.readConfig(element, "data-rl-map");
    if (!config) {
      return;
    }
    var map = new RegionMap(element, config);
    var mapId = element.id;
    document.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("[data-rl-map-view]") : null;
      if (!button || button.getAttribute("aria-controls") !== mapId) {
        return;
      }
      // Without this script the button submits its form (?date=…) and the server draws the view.
      event.preventDefault();
      var key = button.getAttribute("data-rl-map-view");
      syncControls(mapId, key);
      map.show(key).then(function () {
        if (config.syncUrl && map.current) {
          syncAddress(map.current);
        }
      });
    });
    map.show(config.selected);
  }

  kit.startAll("[data-rl-map]", setUp);
})();
