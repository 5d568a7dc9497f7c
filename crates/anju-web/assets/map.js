// 一张图: draws the compounds the page lists (the JSON in #map-data) with Leaflet, served from
// the binary. With a tile source configured (anju serve --tiles) the points lie on its map;
// without one (no internet, no intranet tile server) they are drawn on a plain background with
// each street's name at the centre of its compounds.
(function () {
  "use strict";
  var el = document.getElementById("map");
  var dataEl = document.getElementById("map-data");
  if (!el || !dataEl || typeof L === "undefined") { return; }
  var data = JSON.parse(dataEl.textContent);
  // Dots as SVG (each one clickable and findable); past 2,000 on one canvas, which stays fast.
  var map = L.map(el, { preferCanvas: data.points.length > 2000, zoomSnap: 0.25, attributionControl: !!data.tiles });
  if (data.tiles) {
    L.tileLayer(data.tiles.url, {
      subdomains: data.tiles.subdomains || "abc",
      attribution: data.tiles.attribution || "",
      maxZoom: 18
    }).addTo(map);
  } else {
    el.classList.add("plain");
  }
  var bounds = [];
  data.points.forEach(function (p) {
    var ring = p.overdue > 0 ? "#b42318" : (p.complaints > 0 ? "#d97706" : "#ffffff");
    var m = L.circleMarker([p.lat, p.lng], {
      radius: p.overdue > 0 || p.complaints > 0 ? 8 : 6,
      color: ring,
      weight: p.overdue > 0 || p.complaints > 0 ? 3 : 1,
      fillColor: p.colour,
      fillOpacity: 0.9
    }).addTo(map);
    var lines = [p.label];
    if (p.complaints > 0) { lines.push(data.words.complaints + " " + p.complaints); }
    if (p.overdue > 0) { lines.push(data.words.overdue + " " + p.overdue); }
    var box = document.createElement("div");
    var a = document.createElement("a");
    a.href = "/compounds/" + p.id;
    a.textContent = p.name;
    var strong = document.createElement("strong");
    strong.appendChild(a);
    box.appendChild(strong);
    lines.forEach(function (t) {
      var d = document.createElement("div");
      d.textContent = t;
      box.appendChild(d);
    });
    m.bindPopup(box);
    m.bindTooltip(p.name);
    bounds.push([p.lat, p.lng]);
  });
  if (!data.tiles) {
    data.streets.forEach(function (s) {
      L.tooltip({ permanent: true, direction: "center", className: "street-label", interactive: false })
        .setLatLng([s.lat, s.lng])
        .setContent(s.name)
        .addTo(map);
    });
  }
  if (bounds.length > 0) {
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 16 });
  } else {
    map.setView([data.centre.lat, data.centre.lng], 12);
  }
  el.setAttribute("data-drawn", String(data.points.length));
})();
