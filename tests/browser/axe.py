"""axe-core (vendored in tests/browser/vendor) run on the page as it is now."""

from pathlib import Path

from playwright.sync_api import Error

AXE_SCRIPT = (Path(__file__).parent / "vendor" / "axe-core-4.11.1.min.js").read_text()


def axe_violations(page) -> list[str]:
    """WCAG 2.1 A/AA violations on the current page, as "rule: target" lines.

    A page left before the check finished is skipped: the next page's load is checked.
    """
    try:
        return _run(page)
    except Error as exc:
        if "Execution context was destroyed" in str(exc) or "has been closed" in str(exc):
            return []
        raise


def _run(page) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated over the DevTools protocol: the page's CSP (rightly) refuses inline tags.
        page.evaluate(AXE_SCRIPT)
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa']}})"
    )
    return [
        f"{v['id']}: {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in result["violations"]
    ]
