// 360° panoramas with Pannellum: one scene per room, hotspots move between rooms.
// Without JavaScript (or WebGL) the scenes stay plain links to the panorama images.
(function () {
  "use strict";
  var box = document.getElementById("panorama");
  if (!box || !window.pannellum) return;
  var links = Array.prototype.slice.call(box.querySelectorAll(".panorama-scene"));
  if (!links.length) return;
  var ids = {};
  links.forEach(function (a, i) { ids[a.dataset.room] = "scene-" + i; });
  var scenes = {};
  links.forEach(function (a, i) {
    var spots = [];
    JSON.parse(a.dataset.hotspots || "[]").forEach(function (h) {
      if (!ids[h.room]) return;
      spots.push({ type: "scene", sceneId: ids[h.room], yaw: Number(h.yaw) || 0,
                   pitch: Number(h.pitch) || 0, text: "Go to " + h.room });
    });
    scenes["scene-" + i] = { title: a.dataset.room, type: "equirectangular",
                             panorama: a.href, hotSpots: spots };
  });
  box.textContent = "";
  box.classList.add("panorama-ready");
  window.pannellum.viewer(box, {
    default: { firstScene: "scene-0", autoLoad: true, sceneFadeDuration: 400,
               escapeHTML: true, compass: false },
    scenes: scenes,
  });
})();
