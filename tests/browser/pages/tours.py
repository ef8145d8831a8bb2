"""Booking a tour: the picker, the details step, the manage page from the emailed link."""

import re

from playwright.sync_api import expect

from tests.browser.pages.base import Screen


class BookingPicker(Screen):
    heading = "Book a tour"

    def choose_type(self, name: str) -> None:
        self.page.locator(".choice-list a").filter(
            has=self.page.locator("strong", has_text=re.compile(f"^{re.escape(name)}$"))
        ).click()
        expect(self.page.locator("#when-title")).to_be_focused()
        self.recheck()

    def choose_second_day(self) -> None:
        """Pick another day than the one shown (htmx swaps the picker)."""
        self.page.locator(".day-list a:not(.chosen)").first.click()
        expect(self.page.locator("#time-title")).to_be_focused()
        self.recheck()

    def tabs_to_first_time(self) -> int:
        """After a swap, how many Tab presses reach the first time slot."""
        for presses in range(1, 60):
            self.page.keyboard.press("Tab")
            if self.page.evaluate("document.activeElement.classList.contains('slot')"):
                return presses
        raise AssertionError("no time slot is reachable with Tab")

    def choose_first_time(self) -> "BookingDetails":
        self.page.locator(".slot-list .slot").first.click()
        return BookingDetails(self.page)


class BookingDetails(Screen):
    heading = "Your details"

    def book(self, name: str, email: str) -> "ManageTour":
        self.page.fill("#name", name)
        self.page.fill("#email", email)
        button = self.page.get_by_role("button", name="Book the tour")
        button.focus()
        self.page.keyboard.press("Enter")
        return AboutYou(self.page).answer("Parks & outdoors")


class AboutYou(Screen):
    heading = "You're booked"

    def answer(self, topic: str) -> "ManageTour":
        self.page.get_by_label(topic).check()
        self.page.get_by_role("button", name="Save and continue").click()
        return ManageTour(self.page)


class ManageTour(Screen):
    heading = "Your tour of"

    @classmethod
    def open(cls, page, url: str) -> "ManageTour":
        page.goto(url)
        return cls(page)

    def status(self) -> str:
        return self.page.locator(".fact-list dd").first.inner_text()

    def when(self) -> str:
        return self.page.locator(".fact-list time").first.inner_text()

    def reschedule_to_another_time(self) -> "ManageTour":
        pick = self.page.get_by_role("link", name="Pick a new time")
        if pick.count():
            pick.click()
            self.page.audit.check("ManageTour reschedule picker")
        self.page.locator(".slot-list button.slot:not([disabled])").first.click()
        return ManageTour(self.page)

    def cancel(self) -> "ManageTour":
        self.page.get_by_role("button", name="Cancel the tour").click()
        return ManageTour(self.page)
