"""axe-core in the browser tests: run the vendored engine on the page as it is.

One engine for every journey: the screens' ``ScreenAudit`` (tests/browser/conftest.py)
and the page objects that call ``serious_violations`` load the same file.
"""

from pathlib import Path

AXE_VERSION = "4.14.1"
AXE_JS = Path(__file__).parent / "vendor" / f"axe-core-{AXE_VERSION}" / "axe.min.js"
BLOCKING = ("serious", "critical")
_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + ": " + n.failureSummary),
  }));
}"""


def violations(page) -> list[dict]:
    """Every axe violation on ``page`` (evaluated over CDP, outside the page's CSP)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    return page.evaluate(_RUN)


def serious_violations(page) -> list[dict]:
    """The serious and critical axe violations on ``page``."""
    return [v for v in violations(page) if v["impact"] in BLOCKING]
