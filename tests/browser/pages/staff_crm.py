"""Page objects for the staff journeys: sign-in, the agent's day, a brief, the completion
form and the prospect page. Each one checks the screen with axe as it arrives."""

from playwright.sync_api import Page, expect

from tests.browser.axe import serious_violations


class StaffScreen:
    """A screen of the staff area; ``arrived`` runs axe and keeps what it found."""

    def __init__(self, page: Page, base_url: str, findings: list):
        self.page, self.base_url, self.findings = page, base_url, findings

    def arrived(self):
        self.page.wait_for_load_state("load")
        for violation in serious_violations(self.page):
            self.findings.append({"url": self.page.url, **violation})
        return self


class SignInPage(StaffScreen):
    def open(self) -> "SignInPage":
        self.page.goto(f"{self.base_url}/auth/login")
        return self.arrived()

    def sign_in(self, email: str, password: str) -> "DayPage":
        self.page.fill("#email", email)
        self.page.fill("#password", password)
        self.page.get_by_role("button", name="Sign in").click()
        day = DayPage(self.page, self.base_url, self.findings)
        expect(self.page.get_by_role("heading", name="Your tours")).to_be_visible()
        return day.arrived()


class DayPage(StaffScreen):
    def tour_names(self) -> list[str]:
        return self.page.locator(".tour-card").all_inner_texts()

    def open_brief(self, visitor: str) -> "BriefPage":
        self.page.locator(".tour-card", has_text=visitor).get_by_role(
            "link", name="Brief"
        ).first.click()
        expect(self.page.get_by_role("heading", level=1, name=visitor)).to_be_visible()
        return BriefPage(self.page, self.base_url, self.findings).arrived()


class BriefPage(StaffScreen):
    def record_the_tour(self) -> "CapturePage":
        self.page.get_by_role("link", name="Record the tour").click()
        expect(self.page.get_by_role("heading", name="Record the tour")).to_be_visible()
        return CapturePage(self.page, self.base_url, self.findings).arrived()


class CapturePage(StaffScreen):
    def interest(self, level: int) -> "CapturePage":
        self.page.locator("fieldset", has_text="Interest level").get_by_label(str(level)).check()
        return self

    def objection(self, label: str) -> "CapturePage":
        self.page.locator("fieldset", has_text="Objections").get_by_label(label).check()
        return self

    def first_unit_shown(self) -> "CapturePage":
        self.page.locator("fieldset", has_text="Units shown").locator("input").first.check()
        return self

    def next_step(self, label: str) -> "CapturePage":
        self.page.locator("fieldset", has_text="Next step").get_by_label(label).check()
        return self

    def notes(self, text: str) -> "CapturePage":
        self.page.get_by_label("Notes", exact=True).fill(text)
        return self

    def save(self) -> "ProspectPage":
        self.page.get_by_role("button", name="Save: tour completed").click()
        expect(self.page.get_by_role("heading", name="Timeline")).to_be_visible()
        return ProspectPage(self.page, self.base_url, self.findings).arrived()


class ProspectPage(StaffScreen):
    def stage(self) -> str:
        return self.page.get_by_test_id("prospect-stage").inner_text()

    def timeline(self) -> str:
        return self.page.get_by_test_id("timeline").inner_text()


class ProspectsPage(StaffScreen):
    def open(self) -> "ProspectsPage":
        self.page.goto(f"{self.base_url}/staff/prospects")
        return self.arrived()

    def filter_by_stage(self, stage: str) -> "ProspectsPage":
        self.page.get_by_text("Search and filter").click()
        self.page.get_by_label("Stage").select_option(stage)
        self.page.get_by_role("button", name="Show prospects").click()
        return self.arrived()

    def search(self, text: str) -> "ProspectsPage":
        """A fresh list searched for ``text`` (the filters open closed on a new page)."""
        self.open()
        self.page.get_by_text("Search and filter").click()
        self.page.get_by_label("Search name, email or phone").fill(text)
        self.page.get_by_role("button", name="Show prospects").click()
        return self.arrived()

    def names(self) -> list[str]:
        return self.page.locator(".prospect-list h2").all_inner_texts()


class ProfilePage(StaffScreen):
    def open(self) -> "ProfilePage":
        self.page.goto(f"{self.base_url}/staff/profile")
        return self.arrived()

    def create_token(self, name: str) -> str:
        self.page.get_by_label("Name").fill(name)
        self.page.get_by_role("button", name="Create token").click()
        self.arrived()
        return self.page.locator("#new-token").input_value()
