"""Home, the listings index and one listing."""

import re

from playwright.sync_api import expect

from tests.browser.pages.base import Screen


class HomePage(Screen):
    heading = "."

    @classmethod
    def open(cls, page, base_url: str) -> "HomePage":
        page.goto(f"{base_url}/")
        return cls(page)

    def browse_homes(self) -> "ListingsIndex":
        self.nav("Homes")
        return ListingsIndex(self.page)


class ListingsIndex(Screen):
    heading = "Homes for rent"

    @classmethod
    def open(cls, page, base_url: str, query: str = "") -> "ListingsIndex":
        page.goto(f"{base_url}/listings/{query}")
        return cls(page)

    @property
    def total(self) -> str:
        return self.page.locator("#results-title").inner_text()

    def filter(self, **choices: str) -> None:
        """Change selects by id (htmx swaps the results in place) and wait for the swap."""
        for field, value in choices.items():
            before = self.total
            self.page.select_option(f"#{field}", value)
            expect(self.page.locator("#results-title")).not_to_have_text(before)
        self.recheck()

    def card_titles(self) -> list[str]:
        return self.page.locator(".listing-card h3").all_inner_texts()

    def first_card_image(self):
        return self.page.locator(".listing-card img").first

    def open_first(self) -> "ListingDetail":
        self.page.locator(".listing-card h3 a").first.click()
        return ListingDetail(self.page)


class ListingDetail(Screen):
    heading = "bedroom|Studio|studio"

    @classmethod
    def open(cls, page, base_url: str, unit_id: int) -> "ListingDetail":
        page.goto(f"{base_url}/listings/{unit_id}")
        return cls(page)

    def section(self, title: str):
        return (
            self.page.locator("section, article")
            .filter(has=self.page.get_by_role("heading", name=title))
            .first
        )

    def wait_for_map(self) -> None:
        expect(self.page.locator("#neighbourhood-map canvas").first).to_be_attached()
        expect(self.page.locator("#map-places li").first).to_be_attached()

    def map_region(self):
        return self.page.get_by_role("region", name=re.compile("Map of the streets"))

    def book_a_tour(self):
        from tests.browser.pages.tours import BookingPicker

        self.page.get_by_role("link", name="Book a tour").first.click()
        return BookingPicker(self.page)
