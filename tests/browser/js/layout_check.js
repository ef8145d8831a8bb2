// For every visible control: focus it (the browser scrolls it into view as for a keyboard
// user) and see whether a fixed or sticky element covers it entirely (WCAG 2.4.11); then
// how wide the page is (1.4.10). Focus and scroll are restored afterwards.
() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
    + '[tabindex]:not([tabindex="-1"])';
  const covering = [...document.querySelectorAll('body *')].filter(el => {
    const p = getComputedStyle(el).position; return p === 'fixed' || p === 'sticky';
  });
  const hidden = [];
  const before = document.activeElement, scroll = [window.scrollX, window.scrollY];
  for (const el of document.querySelectorAll(selector)) {
    if (el.disabled || !(el.offsetWidth || el.offsetHeight)) continue;
    if (getComputedStyle(el).visibility === 'hidden') continue;
    el.focus();
    if (document.activeElement !== el) continue;
    const r = el.getBoundingClientRect();
    for (const c of covering) {
      if (c.contains(el)) continue;
      const s = c.getBoundingClientRect();
      const inside = r.top >= s.top && r.bottom <= s.bottom && r.left >= s.left && r.right <= s.right;
      if (s.width && s.height && inside) {
        hidden.push((el.textContent || el.name || el.id || el.tagName).trim().slice(0, 60));
        break;
      }
    }
  }
  if (before && before !== document.body && before.isConnected) before.focus({preventScroll: true});
  else if (document.activeElement) document.activeElement.blur();
  window.scrollTo(scroll[0], scroll[1]);
  return {hidden, pageWidth: document.documentElement.scrollWidth, viewport: window.innerWidth};
}
