"""axe-core in the browser tests: run the vendored engine on the page as it is."""

from pathlib import Path

AXE_JS = Path(__file__).parent / "vendor" / "axe-core-4.10.2" / "axe.min.js"
BLOCKING = ("serious", "critical")
_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(" ")).slice(0, 5),
  }));
}"""


def serious_violations(page) -> list[dict]:
    """Serious and critical axe violations on ``page`` (evaluated outside the page's CSP)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    return [v for v in page.evaluate(_RUN) if v["impact"] in BLOCKING]
