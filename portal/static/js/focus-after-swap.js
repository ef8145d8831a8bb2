// Focus and announcements after htmx swaps (shared by every area; no dependencies).
//
// Opt in by putting `data-focus-after-swap` on the element htmx swaps (the hx-target,
// or the root of the fragment that replaces it). After the swap settles:
//   * if focus was lost (it sat in the replaced content and fell to <body>), it moves
//     to the new content's `[data-swap-focus]` element, else its first heading, else its
//     first control; headings get tabindex="-1" so they can take focus;
//     `data-focus-after-swap="always"` moves it even when focus was not lost;
//   * the polite live region `#swap-status` (in base.html) announces the new content's
//     `data-swap-announce` text, else the text of the element focus went to.
// Nothing happens for swaps into elements without the attribute.
(function () {
  "use strict";
  var HEADINGS = "h1, h2, h3, h4, h5, h6";
  var CONTROLS = "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), " +
    "select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";
  var pending = null;

  function optIn(el) {
    if (!el || !el.closest) { return null; }
    return el.closest("[data-focus-after-swap]") ||
      (el.querySelector ? el.querySelector("[data-focus-after-swap]") : null);
  }

  function visible(el) {
    return !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  }

  function firstVisible(root, selector) {
    var found = root.querySelectorAll(selector);
    for (var i = 0; i < found.length; i++) {
      if (visible(found[i])) { return found[i]; }
    }
    return null;
  }

  function announce(text) {
    var status = document.getElementById("swap-status");
    if (!status || !text) { return; }
    status.textContent = "";
    // A fresh text node after a tick is announced even when the words repeat.
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var region = optIn(target);
    if (!region) { pending = null; return; }
    var active = document.activeElement;
    pending = {
      id: region.id || target.id,
      target: target,
      hadFocus: !!(active && active !== document.body && region.contains(active))
    };
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (!pending) { return; }
    var info = pending;
    pending = null;
    var region = info.target.isConnected ? optIn(info.target) : null;
    if (!region && info.id) { region = document.getElementById(info.id); }
    // htmx fires afterSettle on each new element: an outerHTML swap's new root opts in itself.
    if (!region && event.target && event.target.isConnected) { region = optIn(event.target); }
    if (!region) { return; }
    var active = document.activeElement;
    var lost = info.hadFocus || !active || active === document.body || !active.isConnected;
    var always = region.getAttribute("data-focus-after-swap") === "always";
    var focusTo = null;
    if (lost || always) {
      focusTo = region.querySelector("[data-swap-focus]") || firstVisible(region, HEADINGS) ||
        firstVisible(region, CONTROLS);
      if (focusTo) {
        if (!focusTo.matches(CONTROLS) && !focusTo.hasAttribute("tabindex")) {
          focusTo.setAttribute("tabindex", "-1");
        }
        focusTo.focus({ preventScroll: false });
      }
    }
    var text = region.getAttribute("data-swap-announce");
    var announced = region.querySelector("[data-swap-announce]");
    if (!text && announced) { text = announced.getAttribute("data-swap-announce"); }
    if (!text && focusTo) { text = focusTo.textContent.replace(/\s+/g, " ").trim(); }
    announce(text);
  });
})();
