// The OCOP map: vendored Leaflet + markercluster. Markers are vector circles, so they show even when
// the tile server cannot be reached (the map then has a plain background); the list beside the map
// always holds every place.
(function () {
  "use strict";
  const box = document.getElementById("map");
  if (!box || !window.L) return;
  const colours = { ocop_point: "#c8102e", supermarket: "#0b57a4", shop: "#6b3fa0", tourism_site: "#0d7a3a", producer: "#8a5a00" };
  box.textContent = "";
  const map = L.map(box, { scrollWheelZoom: false }).setView([10.24, 106.37], 10);
  L.tileLayer("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 18,
    attribution: "&copy; OpenStreetMap",
  }).addTo(map);
  const cluster = L.markerClusterGroup({ maxClusterRadius: 40 });
  const markers = {};
  function escapeHtml(text) {
    const div = document.createElement("div");
    div.textContent = text || "";
    return div.innerHTML;
  }
  function circle(lat, lng, colour) {
    return L.circleMarker([lat, lng], { radius: 9, color: "#ffffff", weight: 2, fillColor: colour, fillOpacity: 0.95 });
  }
  fetch(box.dataset.url, { headers: { Accept: "application/json" } })
    .then((response) => response.json())
    .then((data) => {
      const bounds = [];
      data.points.forEach((p) => {
        const m = circle(p.lat, p.lng, colours[p.kind] || "#333");
        m.bindPopup(
          "<strong>" + escapeHtml(p.name) + "</strong><br>" + escapeHtml(p.kind_label) + "<br>" +
            escapeHtml(p.address) + (p.hours ? "<br>" + escapeHtml(p.hours) : "") +
            '<br><a href="#sp-' + p.id + '">' + escapeHtml(data.labels.details) + "</a>"
        );
        cluster.addLayer(m);
        markers[p.id] = m;
        bounds.push([p.lat, p.lng]);
      });
      data.producers.forEach((p) => {
        const m = circle(p.lat, p.lng, colours.producer);
        m.bindPopup("<strong>" + escapeHtml(p.name) + "</strong><br>" + escapeHtml(data.labels.producer));
        cluster.addLayer(m);
        bounds.push([p.lat, p.lng]);
      });
      map.addLayer(cluster);
      data.routes.forEach((r) => {
        if (r.line.length > 1) L.polyline(r.line, { color: "#0d7a3a", weight: 3, dashArray: "6 6" }).bindTooltip(r.name).addTo(map);
      });
      if (bounds.length) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 14 });
      box.dataset.ready = String(data.points.length + data.producers.length);
      focusFromHash();
    })
    .catch(() => {
      box.dataset.ready = "error";
    });
  function focus(id) {
    const m = markers[id];
    if (!m) return;
    cluster.zoomToShowLayer(m, () => m.openPopup());
  }
  function focusFromHash() {
    const match = /^#sp-(\d+)$/.exec(window.location.hash);
    if (match) focus(match[1]);
  }
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-focus]");
    if (!button) return;
    focus(button.dataset.focus);
    box.scrollIntoView({ behavior: "smooth", block: "center" });
  });
})();
