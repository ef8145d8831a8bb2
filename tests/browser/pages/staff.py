"""Staff sign-in, the agent's tours and working hours, the admin's tour settings."""

from playwright.sync_api import expect

from tests.browser.pages.base import Screen


class StaffSignIn(Screen):
    heading = "Staff sign-in"

    @classmethod
    def open(cls, page, base_url: str) -> "StaffSignIn":
        page.goto(f"{base_url}/auth/login")
        return cls(page)

    def sign_in(self, email: str, password: str, lands_on: type[Screen] | None = None) -> Screen:
        """Sign in; the agent's or admin's day, or ``lands_on`` (marketers land in the studio)."""
        self.page.fill("#email", email)
        self.page.fill("#password", password)
        self.page.locator("main form [type=submit]").click()
        return (lands_on or StaffHome)(self.page)


class StaffHome(Screen):
    """The agent's day (agents and admins) or the marketer's counts ("Hello, …")."""

    heading = "^(Your tours|Hello)"

    def tours(self) -> "StaffTours":
        self.page.locator("main").get_by_role("link", name="All tours and requests").click()
        return StaffTours(self.page)

    def sign_out(self) -> Screen:
        self.page.get_by_role("button", name="Sign out").click()
        from tests.browser.pages.listings import HomePage

        return HomePage(self.page)


class StaffTours(Screen):
    heading = "^Tours$"

    def rows(self) -> int:
        return self.page.locator("main table tbody tr").count()

    def working_hours(self) -> "WorkingHours":
        self.page.get_by_role("link", name="My working hours and time off").click()
        return WorkingHours(self.page)

    def tour_settings(self, property_name: str) -> "TourSettings":
        self.page.locator("main").get_by_role("link", name=property_name).first.click()
        return TourSettings(self.page)


class WorkingHours(Screen):
    heading = "Working hours"

    def save(self) -> "WorkingHours":
        self.page.get_by_role("button", name="Save hours").click()
        screen = WorkingHours(self.page)
        expect(self.page.locator(".flash").first).to_be_visible()
        return screen


class TourSettings(Screen):
    heading = "Tours at"

    def save_first_tour_type(self) -> "TourSettings":
        form = self.page.locator("main form").filter(
            has=self.page.locator("[name$=duration_minutes]")
        )
        form.first.get_by_role("button", name="Save").click()
        return TourSettings(self.page)
