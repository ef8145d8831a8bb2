"""The marketer's screens: the studio home, the content editor and its history."""

import re

from playwright.sync_api import expect

from tests.browser.pages.base import Screen


class StudioHome(Screen):
    heading = "^Studio$"

    @classmethod
    def open(cls, page, base_url: str) -> "StudioHome":
        page.goto(f"{base_url}/studio/")
        return cls(page)


class ContentEditor(Screen):
    """``/studio/content/<kind>/<id>``: the form, and the live preview beside it."""

    @classmethod
    def open(cls, page, base_url: str, kind: str, subject_id: int) -> "ContentEditor":
        page.goto(f"{base_url}/studio/content/{kind}/{subject_id}")
        return cls(page)

    def write_description(self, text: str) -> None:
        self.page.fill("#description", text)

    @property
    def preview(self):
        return self.page.locator("#preview-body")

    def add_window_view(self, path, *, alt: str, room: str, floor: int, facing: str):
        self.page.select_option("#new_kind", "window_view")
        self.page.set_input_files("#new_file", str(path))
        self.page.fill("#new_alt_text", alt)
        self.page.fill("#new_room", room)
        self.page.fill("#new_floor", str(floor))
        self.page.select_option("#new_orientation", facing)
        self.page.click("button[value=add]")
        return ContentEditor(self.page)

    def publish(self) -> "ContentEditor":
        self.page.click("button[value=publish]")
        return ContentEditor(self.page)

    def flash(self):
        return self.page.locator(".flash")


class ContentHistory(Screen):
    heading = "^History of "

    @classmethod
    def open(cls, page, base_url: str, kind: str, subject_id: int) -> "ContentHistory":
        page.goto(f"{base_url}/studio/content/{kind}/{subject_id}/history")
        return cls(page)

    def restore(self, number: int) -> "ContentHistory":
        self.page.click(f"button:has-text('Restore revision {number}')")
        history = ContentHistory(self.page)
        expect(self.page.locator(".flash")).to_contain_text(
            re.compile(f"Revision {number} restored")
        )
        return history


class PublicListing(Screen):
    @classmethod
    def open(cls, page, base_url: str, unit_id: int) -> "PublicListing":
        page.goto(f"{base_url}/listings/{unit_id}")
        return cls(page)
