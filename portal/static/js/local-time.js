// Tour times are shown in the property's time zone; when the visitor's own zone
// differs, add their local time alongside so nobody turns up an hour off.
(function () {
  function annotate(root) {
    var mine = Intl.DateTimeFormat().resolvedOptions().timeZone;
    root.querySelectorAll("time[data-tz]").forEach(function (el) {
      if (el.dataset.tz === mine || el.dataset.localShown) return;
      var when = new Date(el.getAttribute("datetime"));
      var text = when.toLocaleString([], { weekday: "short", hour: "2-digit", minute: "2-digit" });
      var note = document.createElement("span");
      note.className = "muted local-time";
      note.textContent = " (" + text + " your time)";
      el.after(note);
      el.dataset.localShown = "1";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { annotate(document); });
  document.addEventListener("htmx:afterSwap", function (e) { annotate(e.target); });
})();
