// Browsing beacon. Loaded only after the visitor chose "Allow" on the consent banner.
// Sends small form posts (with the CSRF token) that never delay navigation.
// Other components report events declaratively: give an element
// data-signal-kind="category_expanded" data-signal-topic="restaurants"; a <details>
// reports when opened, anything else when clicked.
(function () {
  "use strict";
  var ctx = document.getElementById("signal-context");
  if (!ctx || !navigator.sendBeacon) { return; }
  var url = ctx.dataset.beaconUrl;
  var unitId = ctx.dataset.unitId || "";
  var token = "";
  try { token = JSON.parse(document.body.getAttribute("data-hx-headers"))["X-CSRFToken"]; } catch (e) { return; }
  var sent = {};

  function send(kind, fields, once) {
    var key = kind + ":" + ((fields && fields.topic) || "");
    if (once && sent[key]) { return; }
    sent[key] = true;
    var body = new FormData();
    body.append("csrf_token", token);
    body.append("kind", kind);
    if (unitId) { body.append("unit_id", unitId); }
    Object.keys(fields || {}).forEach(function (name) { body.append(name, fields[name]); });
    navigator.sendBeacon(url, body);
  }

  // Dwell time: only the time the page was actually visible counts.
  var visibleSince = document.visibilityState === "visible" ? Date.now() : null;
  var dwellMs = 0;
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && visibleSince !== null) {
      dwellMs += Date.now() - visibleSince;
      visibleSince = null;
      send("listing_view", { dwell_seconds: Math.round(dwellMs / 1000) }, true);
    } else if (document.visibilityState === "visible") {
      visibleSince = Date.now();
    }
  });

  document.addEventListener("click", function (event) {
    var tour = event.target.closest("section[aria-labelledby='virtual-title'] a");
    if (tour) { send("virtual_tour_opened", {}, true); }
    var marked = event.target.closest("[data-signal-kind]:not(details)");
    if (marked) { send(marked.dataset.signalKind, { topic: marked.dataset.signalTopic || "" }, true); }
  });
  document.addEventListener("toggle", function (event) {
    var el = event.target;
    if (el.matches && el.matches("details[data-signal-kind]") && el.open) {
      send(el.dataset.signalKind, { topic: el.dataset.signalTopic || "" }, true);
    }
  }, true);

  // The window views sit below the fold: scrolling half of one into view counts once.
  // (The photos open with the page, so only an explicit data-signal-kind counts for them.)
  if ("IntersectionObserver" in window) {
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) {
        send("window_view_opened", {}, true);
        observer.disconnect();
      }
    }, { threshold: 0.5 });
    document.querySelectorAll("section[aria-labelledby='views-title'] figure").forEach(function (el) {
      observer.observe(el);
    });
  }
})();
