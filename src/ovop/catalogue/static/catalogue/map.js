/* The sentra's location on a small Leaflet map. Data comes from the element's data-*
   attributes (no inline script); the marker does not need the tiles, so an offline network
   still sees where the product is made. */
(function () {
  "use strict";
  function start() {
    var element = document.getElementById("catalogue-map");
    if (!element || typeof L === "undefined") { return; }
    var latitude = parseFloat(element.dataset.latitude);
    var longitude = parseFloat(element.dataset.longitude);
    if (isNaN(latitude) || isNaN(longitude)) { return; }
    var map = L.map(element, { scrollWheelZoom: false }).setView([latitude, longitude], 11);
    L.tileLayer(element.dataset.tileUrl, {
      maxZoom: 18, attribution: element.dataset.tileAttribution
    }).addTo(map);
    L.circleMarker([latitude, longitude], { radius: 9, color: "#0b6e4f", weight: 2, fillOpacity: 0.7 })
      .addTo(map)
      .bindTooltip(element.dataset.label);
    element.dataset.ready = "1";
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); }
  else { start(); }
})();
