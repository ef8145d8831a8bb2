"""Every existing flow, at desktop (1280×900) and phone (390×844) size.

Each screen is audited on arrival by its page object (tests/browser/pages/): axe-core
finds no serious or critical violation, no focused control is hidden under a fixed or
sticky element, and the page is never wider than the viewport.
"""

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import OutboxEmail
from tests.browser.pages.listings import HomePage, ListingsIndex
from tests.browser.pages.prospects import ConfirmSignIn, PlacesPage, PrioritiesPage, SignInPage
from tests.browser.pages.staff import StaffSignIn
from tests.browser.pages.tours import ManageTour


def latest_link(pattern: str) -> str:
    """The newest queued email's link matching ``pattern`` (a path regex)."""
    db.session.expire_all()
    newest_first = sa.select(OutboxEmail.text_body).order_by(OutboxEmail.id.desc())
    for text in db.session.scalars(newest_first):
        match = re.search(r"https?://\S+" + pattern + r"\S*", text)
        if match:
            return match.group(0).rstrip(".,)")
    raise AssertionError(f"no email holds a link like {pattern}")


def test_explore_and_filter(live_server, demo, screen):
    """From the home page to the homes, a filter swapped in place, then one home."""
    home = HomePage.open(screen, live_server)
    expect(screen.locator(".listing-card img").first).to_have_attribute("fetchpriority", "high")
    index = home.browse_homes()
    index.filter(bedrooms="2")
    assert all("2-bedroom" in title for title in index.card_titles())
    assert "home" in index.announced()
    index.open_first()


def test_commute_places_and_sort(live_server, demo, geo_region, screen):
    """A saved place gives every card its minutes; the index sorts by commute."""
    places = PlacesPage.open(screen, live_server)
    places.add_place("Mannerheimintie 5", label="Work")
    ListingsIndex.open(screen, live_server, "?sort=commute")
    expect(screen.locator(".commute-list").first).to_contain_text("Work: walk")


def test_neighbourhood_panel_map_and_window_views(live_server, demo, geo_region, screen):
    """The panel's table scrolls in its own region, the map is a labelled region whose
    controls take focus, its places are listed as text, and the window view is shown."""
    index = ListingsIndex.open(screen, live_server)
    detail = index.open_first()
    detail.wait_for_map()
    expect(screen.get_by_role("region", name="Nearest places by walking time")).to_be_visible()
    region = detail.map_region()
    expect(region).to_be_visible()
    region.locator(".leaflet-control-zoom-in").focus()
    expect(region.locator(".leaflet-control-zoom-in")).to_be_focused()
    expect(screen.get_by_role("heading", name="The view from the window")).to_be_visible()
    detail.recheck()  # with the map drawn


def test_priorities_rank_the_homes(live_server, demo, geo_region, screen):
    """The questionnaire saves and the index can sort by best fit."""
    priorities = PrioritiesPage.open(screen, live_server)
    priorities.save(bedrooms="2")
    ListingsIndex.open(screen, live_server, "?sort=fit")
    expect(screen.locator(".card-fit").first).to_be_visible()


def _book(screen, live_server, kind_name: str, email: str) -> ManageTour:
    index = ListingsIndex.open(screen, live_server)
    detail = index.open_first()
    picker = detail.book_a_tour()
    picker.choose_type(kind_name)
    picker.choose_second_day()
    # Focus is on the times' heading: the first time is one Tab away, not 36.
    assert picker.tabs_to_first_time() == 1
    details = picker.choose_first_time()
    return details.book("Pia Prospect", email)


def test_book_a_guided_tour(live_server, demo, screen):
    """Keyboard through the picker (focus follows each swap), then the details step."""
    manage = _book(screen, live_server, "Guided tour", "pia@example.com")
    expect(screen.locator(".flash-success")).to_contain_text("booked")
    assert manage.status()


def test_book_a_self_guided_tour(live_server, demo, screen):
    """A self-guided tour waits for the emailed confirmation link."""
    _book(screen, live_server, "Self-guided tour", "sam@example.com")
    expect(screen.locator(".flash-success")).to_contain_text("emailed")


def test_book_a_video_tour(live_server, demo, screen):
    """A live video tour books like a guided one."""
    _book(screen, live_server, "Live video tour", "vic@example.com")
    expect(screen.locator(".flash-success")).to_be_visible()


def test_reschedule_and_cancel_from_the_emailed_link(live_server, demo, screen):
    """The manage link from the confirmation email moves the tour, then cancels it."""
    _book(screen, live_server, "Guided tour", "rea@example.com")
    manage = ManageTour.open(screen, latest_link(r"/tours/m/[A-Za-z0-9_-]+"))
    before = manage.when()
    manage = manage.reschedule_to_another_time()
    assert manage.when() != before
    manage = manage.cancel()
    assert "ancel" in manage.status()


def test_sign_in_by_magic_link_then_my_data_export_and_erasure(live_server, demo, screen):
    """Request a link, open it from the email, see and export my data, erase it all."""
    sign_in = SignInPage.open(screen, live_server)
    sign_in.request_link("mia@example.com")
    account = ConfirmSignIn.open(screen, latest_link(r"/me/sign-in/[^\s/]+")).sign_in()
    my_data = account.my_data()
    exported = my_data.export()
    assert exported["profile"]["email"] == "mia@example.com"
    my_data.delete_everything()
    expect(screen.locator(".flash")).to_contain_text("deleted")


def test_staff_tours_and_availability(live_server, demo, screen):
    """The agent signs in, reads the tours and saves working hours."""
    password = demo.staff["agent@doorstep.example"]
    staff_home = StaffSignIn.open(screen, live_server).sign_in("agent@doorstep.example", password)
    tours = staff_home.tours()
    tours.working_hours().save()


def test_admin_tour_settings(live_server, demo, screen):
    """The admin opens a community's tour settings and saves a tour type."""
    password = demo.staff["admin@doorstep.example"]
    staff_home = StaffSignIn.open(screen, live_server).sign_in("admin@doorstep.example", password)
    tours = staff_home.tours()
    community = screen.locator("main p a[href*='/staff/properties/']").first.inner_text()
    settings = tours.tour_settings(community)
    settings.save_first_tour_type()
    expect(screen.locator(".flash").first).to_be_visible()


def test_consent_is_chosen_by_keyboard_and_kept_across_staff_sign_in(live_server, demo, screen):
    """The banner is reached and answered with the keyboard, focus lands on the answer,
    and the choice holds through a staff sign-in and sign-out."""
    home = HomePage.open(screen, live_server)
    assert home.has_consent_banner()
    home.choose_consent_by_keyboard("Only necessary")
    expect(screen.locator(".consent-saved a")).to_be_focused()
    assert "necessary" in home.announced()
    password = demo.staff["agent@doorstep.example"]
    staff_home = StaffSignIn.open(screen, live_server).sign_in("agent@doorstep.example", password)
    assert not staff_home.has_consent_banner()
    home = staff_home.sign_out()
    assert not home.has_consent_banner()
