// Draws the neighbourhood map from our own GeoJSON: streets and places as vector
// layers on one canvas (a few DOM nodes, not one SVG path per street), so it works
// offline. A tile layer is added only when one is configured. The places drawn are
// also written out as a list (#map-places), the map's text alternative.
(function () {
  "use strict";
  var el = document.getElementById("neighbourhood-map");
  if (!el || !window.L) { return; }
  var colours = {
    grocery: "#2f7d32", cafe: "#8d5524", restaurant: "#c2410c", bar: "#9333ea",
    park: "#15803d", fitness: "#0e7490", school: "#1d4ed8", library: "#4338ca",
    health: "#be123c", transit: "#0f172a"
  };

  function listPlaces(features) {
    var list = document.getElementById("map-places");
    if (!list) { return; }
    var byCategory = {};
    features.forEach(function (f) {
      (byCategory[f.properties.category] = byCategory[f.properties.category] || []).push(f.properties.label);
    });
    var names = Object.keys(byCategory).sort();
    list.textContent = "";
    names.forEach(function (category) {
      var item = document.createElement("li");
      var strong = document.createElement("strong");
      strong.textContent = category + " (" + byCategory[category].length + "): ";
      item.appendChild(strong);
      item.appendChild(document.createTextNode(byCategory[category].sort().join(", ")));
      list.appendChild(item);
    });
    var summary = document.getElementById("map-places-count");
    if (summary) { summary.textContent = String(features.length); }
    list.closest(".map-places").hidden = false;
  }

  // Leaflet's stylesheet only matters to the map, far down the page: loading it here keeps
  // it from blocking the first paint (only portal.css does).
  function leafletStyles() {
    return new Promise(function (resolve) {
      if (!el.dataset.css) { resolve(); return; }
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = el.dataset.css;
      link.onload = link.onerror = function () { resolve(); };
      document.head.appendChild(link);
    });
  }

  Promise.all([
    fetch(el.dataset.url, { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); }),
    leafletStyles()
  ])
    .then(function (loaded) {
      var data = loaded[0];
      var map = L.map(el, { scrollWheelZoom: false, attributionControl: true, preferCanvas: true })
        .setView(data.centre, 16);
      map.attributionControl.setPrefix(false);
      if (el.dataset.tiles) {
        L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: data.attribution }).addTo(map);
      } else {
        map.attributionControl.addAttribution(data.attribution);
      }
      var places = data.features.filter(function (f) { return f.properties.layer === "place"; });
      L.geoJSON(data, {
        filter: function (f) { return f.properties.layer === "street"; },
        style: function (f) { return { color: "#94a3b8", weight: f.properties.weight, opacity: 0.9 }; },
        onEachFeature: function (f, layer) {
          if (f.properties.name) { layer.bindTooltip(f.properties.name, { sticky: true }); }
        }
      }).addTo(map);
      L.geoJSON({ type: "FeatureCollection", features: places }, {
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, {
            radius: 5, weight: 1, color: "#fff", fillOpacity: 0.9,
            fillColor: colours[f.properties.category] || "#334155"
          });
        },
        onEachFeature: function (f, layer) {
          layer.bindTooltip(f.properties.label + " (" + f.properties.category + ")");
        }
      }).addTo(map);
      L.circleMarker(data.centre, { radius: 9, color: "#b91c1c", weight: 3, fillOpacity: 0.3 })
        .bindTooltip(el.dataset.name, { permanent: true, direction: "top" }).addTo(map);
      listPlaces(places);
    })
    .catch(function () { el.textContent = "The map could not be loaded."; });
})();
