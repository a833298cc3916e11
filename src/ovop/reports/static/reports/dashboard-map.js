/* Dashboard map: vendored Leaflet, the centres from the page's json_script data block as
   circle markers coloured by status (or stars on the national map). The legend and the list
   beside the map carry the same information; markers do not need the tiles, so an offline
   network still sees every centre. */
(function () {
  "use strict";
  var FALLBACK = { label: "", colour: "#374151" };

  function popup(point, category) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = point[5];
    link.textContent = point[2];
    box.appendChild(link);
    box.appendChild(document.createElement("br"));
    box.appendChild(document.createTextNode(point[3] + " · " + category.label));
    return box;
  }

  function start() {
    var element = document.getElementById("dashboard-map");
    if (!element || typeof L === "undefined") { return; }
    var source = document.getElementById(element.dataset.map);
    if (!source) { return; }
    var data = JSON.parse(source.textContent);
    var status = document.getElementById("dashboard-map-status");
    var map = L.map(element, { scrollWheelZoom: false }).setView([-2.5, 118], 5);
    var tiles = L.tileLayer(data.tileUrl, { maxZoom: 18, attribution: data.attribution });
    var warned = false;
    tiles.on("tileerror", function () {
      if (!warned && status) { status.textContent = data.tileError; warned = true; }
    });
    tiles.addTo(map);
    var markers = L.featureGroup();
    // A point is [latitude, longitude, name, regency/city, status key, detail URL].
    data.points.forEach(function (point) {
      var category = data.categories[point[4]] || FALLBACK;
      // A white ring keeps every colour visible on any map background.
      L.circleMarker([point[0], point[1]], {
        radius: 8, color: "#ffffff", weight: 2, fillColor: category.colour, fillOpacity: 0.95
      }).bindPopup(popup(point, category)).addTo(markers);
    });
    markers.addTo(map);
    element.dataset.markerCount = String(data.points.length);
    if (data.points.length) {
      map.fitBounds(markers.getBounds(), { maxZoom: 12, padding: [20, 20] });
    }
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
