"""The marketer's screens: sign-in, the content editor, the history, the public listing."""

from playwright.sync_api import Page, expect


class SignInPage:
    def __init__(self, page: Page, base_url: str):
        self.page, self.base_url = page, base_url

    def sign_in(self, email: str, password: str) -> None:
        self.page.goto(f"{self.base_url}/auth/login")
        self.page.fill("#email", email)
        self.page.fill("#password", password)
        self.page.locator("#password").press("Enter")
        self.page.wait_for_url("**/staff/**")


class EditorPage:
    def __init__(self, page: Page, base_url: str, kind: str, subject_id: int):
        self.page, self.url = page, f"{base_url}/studio/content/{kind}/{subject_id}"

    def open(self) -> "EditorPage":
        self.page.goto(self.url)
        return self

    def write_description(self, text: str) -> None:
        self.page.fill("#description", text)

    def preview(self):
        return self.page.locator("#preview-body")

    def add_window_view(self, path, *, alt: str, room: str, floor: int, facing: str) -> None:
        self.page.select_option("#new_kind", "window_view")
        self.page.set_input_files("#new_file", str(path))
        self.page.fill("#new_alt_text", alt)
        self.page.fill("#new_room", room)
        self.page.fill("#new_floor", str(floor))
        self.page.select_option("#new_orientation", facing)
        self.page.click("button[value=add]")
        self.page.wait_for_load_state()

    def publish(self) -> None:
        self.page.click("button[value=publish]")
        self.page.wait_for_load_state()

    def flash(self):
        return self.page.locator(".flash")


class HistoryPage:
    def __init__(self, page: Page, base_url: str, kind: str, subject_id: int):
        self.page, self.url = page, f"{base_url}/studio/content/{kind}/{subject_id}/history"

    def open(self) -> "HistoryPage":
        self.page.goto(self.url)
        return self

    def restore(self, number: int) -> None:
        self.page.click(f"button:has-text('Restore revision {number}')")
        self.page.wait_for_load_state()
        expect(self.page.locator(".flash")).to_contain_text(f"Revision {number} restored")
