"""The visitor's own screens: places, priorities, sign-in, account, my data."""

import json
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.pages.base import Screen


class PlacesPage(Screen):
    heading = "Your places"

    @classmethod
    def open(cls, page, base_url: str) -> "PlacesPage":
        page.goto(f"{base_url}/commute/")
        return cls(page)

    def add_place(self, address: str, label: str | None = None) -> None:
        if label:
            self.page.fill("#label", label)
        self.page.fill("#address", address)
        self.page.get_by_role("button", name="Add place").click()
        expect(self.page.locator("#places-title")).to_contain_text("saved")
        # The form was swapped away under the focus: it moved to the new heading.
        expect(self.page.locator("#places-title")).to_be_focused()
        self.recheck()


class PrioritiesPage(Screen):
    heading = "What matters to you"

    @classmethod
    def open(cls, page, base_url: str) -> "PrioritiesPage":
        page.goto(f"{base_url}/me/priorities")
        return cls(page)

    def save(self, **answers: str) -> None:
        for field, value in answers.items():
            self.page.fill(f"#{field}", value)
        self.page.locator("form.questionnaire [type=submit]").click()
        self.page.audit.check("PrioritiesPage after saving")


class SignInPage(Screen):
    heading = "Sign in"

    @classmethod
    def open(cls, page, base_url: str) -> "SignInPage":
        page.goto(f"{base_url}/me/sign-in")
        return cls(page)

    def request_link(self, email: str) -> None:
        self.page.fill("#email", email)
        self.page.locator("main form [type=submit]").click()
        self.page.audit.check("SignInPage link sent")
        expect(self.page.locator("main")).to_contain_text(email)


class ConfirmSignIn(Screen):
    heading = "Sign"

    @classmethod
    def open(cls, page, url: str) -> "ConfirmSignIn":
        page.goto(url)
        return cls(page)

    def sign_in(self) -> "AccountPage":
        self.page.get_by_role("button", name="Sign me in").click()
        return AccountPage(self.page)


class AccountPage(Screen):
    heading = "."

    def my_data(self) -> "MyDataPage":
        self.page.get_by_role("link", name="My data").first.click()
        return MyDataPage(self.page)


class MyDataPage(Screen):
    heading = "Everything we recorded"

    def export(self) -> dict:
        with self.page.expect_download() as download:
            self.page.get_by_role("link", name="Download it all (JSON)").click()
        return json.loads(Path(download.value.path()).read_text(encoding="utf-8"))

    def delete_everything(self) -> Screen:
        self.page.get_by_role("link", name="Delete it all").click()
        self.page.audit.check("Delete account")
        self.page.locator("input[name=confirm]").check()
        self.page.get_by_role("button", name="Delete my account").click()
        from tests.browser.pages.listings import HomePage

        return HomePage(self.page)
