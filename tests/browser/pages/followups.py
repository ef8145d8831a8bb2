"""The agent's follow-up queue for one prospect."""

import re

from playwright.sync_api import Page, expect

from tests.browser.axe import serious_violations


class FollowupQueue:
    def __init__(self, page: Page, base_url: str, prospect_id: int):
        self.page, self.url = page, f"{base_url}/staff/prospects/{prospect_id}/followups"

    def open(self) -> "FollowupQueue":
        self.page.goto(self.url)
        expect(self.page.locator("h1")).to_contain_text("Follow-ups for")
        assert serious_violations(self.page) == []
        return self

    def card(self, message_id: int):
        return self.page.locator(f"article:has(#fu-{message_id}-title)")

    def edit(self, message_id: int, subject: str, text: str) -> None:
        card = self.card(message_id)
        card.locator("summary", has_text="Edit").click()
        card.locator(f"#subject-{message_id}").fill(subject)
        card.locator(f"#text-{message_id}").fill(text)
        card.get_by_role("button", name="Save").click()
        expect(self.page.locator(".flash-success")).to_contain_text("Approve it to let it go")
        assert serious_violations(self.page) == []

    def approve(self, message_id: int) -> None:
        self.card(message_id).get_by_role("button", name="Approve").click()
        expect(self.page.locator(".flash-success")).to_contain_text("Approved.")
        assert serious_violations(self.page) == []


class SignIn:
    def __init__(self, page: Page, base_url: str):
        self.page, self.base_url = page, base_url

    def as_staff(self, email: str, password: str) -> None:
        self.page.goto(f"{self.base_url}/auth/login")
        self.page.fill("input[name=email]", email)
        self.page.fill("input[name=password]", password)
        self.page.locator("main form [type=submit]").click()
        expect(self.page).not_to_have_url(re.compile(r"/auth/login"))
