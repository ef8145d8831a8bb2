// Draws the neighbourhood map from our own GeoJSON: streets and places as vector
// layers, so it works offline. A tile layer is added only when one is configured.
(function () {
  "use strict";
  var el = document.getElementById("neighbourhood-map");
  if (!el || !window.L) { return; }
  var colours = {
    grocery: "#2f7d32", cafe: "#8d5524", restaurant: "#c2410c", bar: "#9333ea",
    park: "#15803d", fitness: "#0e7490", school: "#1d4ed8", library: "#4338ca",
    health: "#be123c", transit: "#0f172a"
  };
  var streetWeight = { footway: 1, path: 1, steps: 1, cycleway: 1, service: 1.5, pedestrian: 3 };
  fetch(el.dataset.url, { headers: { Accept: "application/json" } })
    .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
    .then(function (data) {
      var map = L.map(el, { scrollWheelZoom: false, attributionControl: true })
        .setView(data.centre, 16);
      map.attributionControl.setPrefix(false);
      if (el.dataset.tiles) {
        L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: data.attribution }).addTo(map);
      } else {
        map.attributionControl.addAttribution(data.attribution);
      }
      L.geoJSON(data, {
        filter: function (f) { return f.properties.layer === "street"; },
        style: function (f) {
          return { color: "#94a3b8", weight: streetWeight[f.properties.highway] || 3, opacity: 0.9 };
        },
        onEachFeature: function (f, layer) {
          if (f.properties.name) { layer.bindTooltip(f.properties.name, { sticky: true }); }
        }
      }).addTo(map);
      L.geoJSON(data, {
        filter: function (f) { return f.properties.layer === "place"; },
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, {
            radius: 5, weight: 1, color: "#fff", fillOpacity: 0.9,
            fillColor: colours[f.properties.category] || "#334155"
          });
        },
        onEachFeature: function (f, layer) {
          var label = (f.properties.name || f.properties.kind.replace(/_/g, " ")) + " (" + f.properties.category + ")";
          layer.bindTooltip(label);
        }
      }).addTo(map);
      L.circleMarker(data.centre, { radius: 9, color: "#b91c1c", weight: 3, fillOpacity: 0.3 })
        .bindTooltip(el.dataset.name, { permanent: true, direction: "top" }).addTo(map);
    })
    .catch(function () { el.textContent = "The map could not be loaded."; });
})();
