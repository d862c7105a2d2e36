/* carte/?theme=alimentation&type=monograph: the map shows only the records whose facet values match, as the
   explorer's URL parameters do (registry.Facet.param; the markers carry them as data- attributes, written at
   build time). Parameters are compared as text, never run; unknown parameters are ignored. */
(function () {
  "use strict";
  function apply() {
    var map = document.querySelector("[data-efc-map]");
    if (!map) return;
    var markers = Array.prototype.slice.call(map.querySelectorAll(".efc-map-marker"));
    if (!markers.length) return;
    var known = Object.keys(markers[0].dataset);
    var filters = [];
    new URLSearchParams(window.location.search).forEach(function (value, key) {
      var name = key.replace(/_([a-z])/g, function (_, c) { return c.toUpperCase(); });
      if (known.indexOf(name) >= 0 && value) filters.push([name, value, key]);
    });
    if (!filters.length) return;
    var hidden = {};
    var shown = 0;
    markers.forEach(function (marker) {
      var match = filters.every(function (f) { return (marker.dataset[f[0]] || "").split(" ").indexOf(f[1]) >= 0; });
      marker.classList.toggle("efc-map-hidden", !match);
      if (match) shown += 1; else hidden[marker.href.baseVal || marker.getAttribute("href")] = true;
    });
    document.querySelectorAll(".efc-map-list li").forEach(function (item) {
      var link = item.querySelector(":scope > a[href], :scope > p > a[href]");
      if (link && hidden[link.getAttribute("href")]) item.hidden = true;
    });
    document.querySelectorAll(".efc-map-list li").forEach(function (item) {  // a place whose records are all hidden
      var inner = item.querySelectorAll("li");
      if (inner.length && Array.prototype.every.call(inner, function (li) { return li.hidden; })) item.hidden = true;
    });
    var status = document.querySelector(".efc-map-filter");
    if (status) {
      var words = filters.map(function (f) { return f[2] + " = " + f[1]; }).join(", ");
      status.querySelector(".efc-map-filter-text").textContent =
        shown + " fiche" + (shown > 1 ? "s" : "") + " sur " + markers.length + " pour le filtre « " + words + " ».";
      status.hidden = false;
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", apply); else apply();
})();
