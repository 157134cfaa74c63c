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
   No eval, no inline styles: tooltips are plain markup without style attributes. */
(function () {
  "use strict";

  var GREY = "#B8BEC6";
  var cache = {};

  function fetchJson(url) {
    if (!cache[url]) {
      cache[url] = fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      }).then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status + " " + url);
        }
        return response.json();
      });
      cache[url].catch(function () {
        delete cache[url];
      });
    }
    return cache[url];
  }

  function escapeHtml(text) {
    return String(text == null ? "" : text)
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;")
      .replace(/'/g, "&#39;");
  }

  function vnDate(iso) {
    var parts = String(iso || "").split("-");
    return parts.length === 3 ? parts[2] + "/" + parts[1] + "/" + parts[0] : iso;
  }

  function fill(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

  function unitHref(config, code, date) {
    var base = config.unitUrl.replace("__code__", encodeURIComponent(code));
    return base + (date ? "?date=" + encodeURIComponent(date) : "");
  }

  // English pages show English names; the API carries both (name, name_en).
  var english = (document.documentElement.lang || "").indexOf("en") === 0;

  function localName(props, key) {
    var base = key || "name";
    return (english && props[base + "_en"]) || props[base];
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

  // [[west, north], [east, south]] around the features and the archipelagos (the 63-province
  // outlines do not draw the islands, so their markers must widen the view themselves).
  function boundsOf(features, archipelagos) {
    var box = [Infinity, -Infinity, Infinity, -Infinity]; // west, east, south, north
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
    archipelagos.forEach(function (a) {
      visit([a.lon, a.lat]);
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
    return {
      animation: false,
      aria: { enabled: true, label: { description: labels.mapTitle || "" } },
      tooltip: {
        trigger: "item",
        confine: true,
        formatter: function (params) {
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
        },
      },
      series: [
        {
          type: "map",
          map: mapName,
          nameProperty: "code",
          roam: true,
          scaleLimit: { min: 0.8, max: 12 },
          selectedMode: false,
          boundingCoords: boundsOf(outline.concat(provinces), archipelagos),
          left: 8,
          right: labelRoom,
          top: 8,
          bottom: 8,
          aspectScale: 0.92,
          itemStyle: { borderColor: "#ffffff", borderWidth: 0.7, areaColor: GREY },
          label: { show: false },
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
        },
      ],
    };
  }

  function RegionMap(element, config) {
    this.element = element;
    this.config = config;
    this.status = document.getElementById(element.getAttribute("data-rl-map-status") || "");
    this.chart = window.echarts.init(element, null, { renderer: "canvas" });
    this.current = null;
    var self = this;
    this.chart.on("click", function (params) {
      if (params.componentType !== "series" || !params.data || params.data.isOutline) {
        return;
      }
      window.location.href = unitHref(self.config, params.data.props.code, self.currentDate());
    });
    window.addEventListener("resize", function () {
      self.chart.resize();
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

  RegionMap.prototype.say = function (text) {
    if (this.status) {
      this.status.textContent = text;
    }
  };

  RegionMap.prototype.show = function (key) {
    var self = this;
    var view = this.view(key);
    var labels = this.config.labels || {};
    if (!view) {
      return Promise.resolve();
    }
    this.element.setAttribute("data-map-state", "loading");
    this.element.setAttribute("aria-busy", "true");
    this.chart.showLoading({ text: labels.loading || "", color: "#7a1712" });
    var requests = [fetchJson(view.url)];
    if (view.outlineUrl) {
      requests.push(fetchJson(view.outlineUrl));
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
        self.element.setAttribute("data-province-count", String(provinces.length));
        self.element.setAttribute("data-map-date", view.date);
        self.element.setAttribute("data-map-state", "ready");
        self.element.removeAttribute("aria-busy");
        self.say(fill(labels.shown, { count: provinces.length, date: vnDate(view.date) }));
        self.prefetch();
      },
      function (error) {
        self.chart.hideLoading();
        self.element.setAttribute("data-map-state", "error");
        self.element.removeAttribute("aria-busy");
        self.say(labels.error || "");
        if (window.console && window.console.warn) {
          window.console.warn("RegionLink map:", error);
        }
      }
    );
  };

  // Fetch the other views once the first is drawn, so that switching is instant.
  RegionMap.prototype.prefetch = function () {
    (this.config.views || []).forEach(function (view) {
      fetchJson(view.url).catch(function () {});
      if (view.outlineUrl) {
        fetchJson(view.outlineUrl).catch(function () {});
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
    var source = document.getElementById(element.getAttribute("data-rl-map"));
    if (!source) {
      return;
    }
    var config;
    try {
      config = JSON.parse(source.textContent);
    } catch (err) {
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

  function start() {
    var maps = document.querySelectorAll("[data-rl-map]");
    Array.prototype.forEach.call(maps, setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
