/* Centre map: Leaflet markers from the GeoJSON endpoint. Markers do not need the tiles,
   so an offline network still sees every centre (and the list below the map). */
(function () {
  "use strict";
  function start() {
    var element = document.getElementById("centre-map");
    if (!element || typeof L === "undefined") { return; }
    var status = document.getElementById("centre-map-status");
    var map = L.map(element, { scrollWheelZoom: false }).setView([-2.5, 118], 5);
    var tiles = L.tileLayer(element.dataset.tileUrl, {
      maxZoom: 18, attribution: element.dataset.tileAttribution
    });
    var warned = false;
    tiles.on("tileerror", function () {
      if (!warned && status) { status.textContent = element.dataset.tileError; warned = true; }
    });
    tiles.addTo(map);
    fetch(element.dataset.geojsonUrl, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          pointToLayer: function (feature, latlng) {
            return L.circleMarker(latlng, { radius: 8, color: "#0b6e4f", weight: 2, fillOpacity: 0.7 });
          },
          onEachFeature: function (feature, marker) {
            var p = feature.properties;
            var link = document.createElement("a");
            link.href = p.url;
            link.textContent = p.name;
            var box = document.createElement("div");
            box.appendChild(link);
            box.appendChild(document.createElement("br"));
            box.appendChild(document.createTextNode(p.product + " · " + p.regency));
            marker.bindPopup(box);
          }
        }).addTo(map);
        element.dataset.markerCount = String(data.features.length);
        if (data.features.length) { map.fitBounds(layer.getBounds(), { maxZoom: 12, padding: [20, 20] }); }
      });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
