/* RegionLink: what the ECharts pages share, as window.RegionLinkCharts. Loaded (deferred)
   after vendor/echarts and before the scripts that use it: web/map.js (provinces by region),
   indicators/choropleth.js (provinces by one indicator's value) and indicators/chart.js.

   Configs come from {{ config|json_script:"CONFIG-ID" }} (data, not code: allowed by the CSP)
   named by a data-* attribute of the container. A map container may name its live status line
   with data-rl-map-status="STATUS-ID"; while drawing it carries data-map-state (loading, ready,
   error) and aria-busy. No eval, no inline styles: tooltips are plain markup without style
   attributes. */
(function () {
  "use strict";

  var cache = {};

  // Each address is fetched once a page; a failed answer is forgotten so that it is retried.
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

  // "%(count)s tỉnh" with {count: 34} → "34 tỉnh": the placeholders of Django's translations.
  function fill(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (match, key) {
      return key in values ? values[key] : match;
    });
  }

  // English pages show English names; the API carries both (name, name_en).
  var english = (document.documentElement.lang || "").indexOf("en") === 0;

  function localName(props, key) {
    var base = key || "name";
    return (english && props[base + "_en"]) || props[base];
  }

  function unitHref(unitUrl, code, date) {
    var base = unitUrl.replace("__code__", encodeURIComponent(code));
    return base + (date ? "?date=" + encodeURIComponent(date) : "");
  }

  // [[west, north], [east, south]] around the features and the points ({lon, lat}; the
  // 63-province outlines do not draw the islands, so their markers must widen the view).
  function boundsOf(features, points) {
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
    (points || []).forEach(function (p) {
      visit([p.lon, p.lat]);
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

  // The option keys every chart sets: no animation, the ARIA description, a tooltip.
  function baseOption(description, trigger, formatter) {
    return {
      animation: false,
      aria: { enabled: true, label: { description: description || "" } },
      tooltip: { trigger: trigger, confine: true, formatter: formatter },
    };
  }

  // A map series of provinces keyed by their code, zoomable, without labels; `extra` adds
  // or overrides keys (data, margins, emphasis…).
  function mapSeries(mapName, grey, extra) {
    var series = {
      type: "map",
      map: mapName,
      nameProperty: "code",
      roam: true,
      scaleLimit: { min: 0.8, max: 12 },
      selectedMode: false,
      aspectScale: 0.92,
      itemStyle: { borderColor: "#ffffff", borderWidth: 0.7, areaColor: grey },
      label: { show: false },
    };
    Object.keys(extra).forEach(function (key) {
      series[key] = extra[key];
    });
    return series;
  }

  // The config named by the container's `attribute`, or null (missing or not JSON).
  function readConfig(element, attribute) {
    var source = document.getElementById(element.getAttribute(attribute));
    if (!source) {
      return null;
    }
    try {
      return JSON.parse(source.textContent);
    } catch (err) {
      return null;
    }
  }

  function initChart(element) {
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    window.addEventListener("resize", function () {
      chart.resize();
    });
    return chart;
  }

  // Writes to the container's live status line (data-rl-map-status), if it has one.
  function statusLine(element) {
    var status = document.getElementById(element.getAttribute("data-rl-map-status") || "");
    return function (text) {
      if (status) {
        status.textContent = text;
      }
    };
  }

  function mapLoading(element, chart, labels) {
    element.setAttribute("data-map-state", "loading");
    element.setAttribute("aria-busy", "true");
    chart.showLoading({ text: labels.loading || "", color: "#7a1712" });
  }

  // After drawing: the counts and date tests and scripts read, then the ready state.
  function mapReady(element, attributes) {
    Object.keys(attributes).forEach(function (name) {
      element.setAttribute(name, attributes[name]);
    });
    element.setAttribute("data-map-state", "ready");
    element.removeAttribute("aria-busy");
  }

  function mapFailed(element, chart, say, labels, what, error) {
    chart.hideLoading();
    element.setAttribute("data-map-state", "error");
    element.removeAttribute("aria-busy");
    say(labels.error || "");
    if (window.console && window.console.warn) {
      window.console.warn(what + ":", error);
    }
  }

  // Calls setUp on each element matching `selector` once the page is parsed.
  function startAll(selector, setUp) {
    function start() {
      Array.prototype.forEach.call(document.querySelectorAll(selector), setUp);
    }
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  }

  window.RegionLinkCharts = {
    baseOption: baseOption,
    boundsOf: boundsOf,
    english: english,
    escapeHtml: escapeHtml,
    fetchJson: fetchJson,
    fill: fill,
    initChart: initChart,
    localName: localName,
    mapFailed: mapFailed,
    mapLoading: mapLoading,
    mapReady: mapReady,
    mapSeries: mapSeries,
    readConfig: readConfig,
    startAll: startAll,
    statusLine: statusLine,
    unitHref: unitHref,
  };
})();
