// For every focusable control: focus it, read the ring's colour and the colour behind the
// ring (the first opaque background among its ancestors: the ring sits outside the control)
// and list the controls whose ring is under 3:1 (or missing).
() => {
  const parse = c => { const m = c.match(/[\d.]+/g).map(Number); return m.length > 3 ? m : [...m, 1]; };
  const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const behind = el => { for (let n = el.parentElement; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor); if (c[3] > 0.5) return c; } return [255, 255, 255, 1]; };
  const worst = [];
  for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
    if (!(el.offsetWidth || el.offsetHeight)) continue;
    el.focus({focusVisible: true});
    if (document.activeElement !== el) continue;
    const s = getComputedStyle(el);
    if (s.outlineStyle === 'none' || parseFloat(s.outlineWidth) < 2) { worst.push([el.outerHTML.slice(0, 80), 0]); continue; }
    const r = ratio(parse(s.outlineColor), behind(el));
    if (r < 3) worst.push([el.outerHTML.slice(0, 80), Math.round(r * 100) / 100]);
  }
  return worst;
}
