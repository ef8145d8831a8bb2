"""What every page object shares: arrival checks and the consent banner."""

import re

from playwright.sync_api import Page, expect


class Screen:
    """A screen the browser is on. ``heading`` is a regular expression the h1 matches."""

    heading: str = ".*"

    def __init__(self, page: Page):
        self.page = page
        expect(page.locator("h1").first).to_have_text(re.compile(self.heading))
        page.audit.check(type(self).__name__)

    def recheck(self) -> None:
        """Audit again after an in-page change (an htmx swap)."""
        self.page.audit.check(f"{type(self).__name__} after a swap")

    def announced(self) -> str:
        """What the polite live region for swaps says now."""
        status = self.page.locator("#swap-status")
        expect(status).not_to_be_empty()
        return status.inner_text()

    def choose_consent_by_keyboard(self, button: str = "Only necessary") -> None:
        """Reach the banner's button with Tab from the page top and press Enter."""
        self.page.evaluate("window.scrollTo(0, 0); document.activeElement?.blur()")
        for _ in range(30):
            self.page.keyboard.press("Tab")
            if self.page.evaluate("document.activeElement.textContent.trim()") == button:
                break
        else:
            raise AssertionError(f"the banner's {button!r} button is not reachable with Tab")
        self.page.keyboard.press("Enter")
        expect(self.page.locator(".consent-saved")).to_be_visible()

    def has_consent_banner(self) -> bool:
        return self.page.locator(".consent-banner").count() > 0

    def nav(self, name: str) -> None:
        self.page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()
