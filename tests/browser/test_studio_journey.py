"""The marketer edits, previews, publishes and restores in a real browser (desktop and phone)."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import Property, Unit
from tests.browser.pages.staff import StaffSignIn
from tests.browser.pages.studio import ContentEditor, ContentHistory, PublicListing, StudioHome
from tests.studio_helpers import jpeg_bytes


@pytest.fixture
def watched(screen):
    """The screen, failing the test if content script opened a dialog or the CSP refused
    anything of ours (Pannellum, htmx, the preview)."""
    dialogs: list[str] = []
    refused: list[str] = []
    screen.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    screen.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    yield screen
    assert dialogs == []
    assert refused == []


def test_marketer_publishes_and_restores_a_description_and_window_view(
    live_server, demo, watched, tmp_path
):
    """Edit a description and a window view, preview, publish, see the page, restore."""
    page = watched
    # The demo's first community (the lowest id: PostgreSQL sequences do not restart at 1
    # between tests, SQLite's fresh databases do).
    first = db.session.scalar(sa.select(sa.func.min(Property.id)))
    unit = db.session.scalar(
        sa.select(Unit)
        .where(Unit.status == "available", Unit.property_id == first)
        .order_by(Unit.id)
        .limit(1)
    )
    prop_id, unit_id = unit.property_id, unit.id
    StaffSignIn.open(page, live_server).sign_in(
        "marketer@doorstep.example", demo.staff["marketer@doorstep.example"], lands_on=StudioHome
    )

    editor = ContentEditor.open(page, live_server, "property", prop_id)
    editor.write_description("A **sunny** building <script>alert(1)</script> by the park.")
    expect(editor.preview.locator("strong", has_text="sunny")).to_be_visible()
    expect(editor.preview).to_contain_text("the <script> element")
    editor.recheck()
    editor = editor.publish()
    expect(editor.flash()).to_contain_text("Published as revision 2")

    photo = tmp_path / "view.jpg"
    photo.write_bytes(jpeg_bytes(1600, 1000, gps=True))
    unit_editor = ContentEditor.open(page, live_server, "unit", unit_id)
    unit_editor = unit_editor.add_window_view(
        photo, alt="The park from the bedroom", room="Bedroom", floor=4, facing="W"
    )
    expect(unit_editor.flash()).to_contain_text("Draft saved")
    unit_editor = unit_editor.publish()
    expect(unit_editor.flash()).to_contain_text("Published as revision 2")

    PublicListing.open(page, live_server, unit_id)
    expect(page.locator(".listing-detail strong", has_text="sunny")).to_be_visible()
    view = page.locator("img[alt='The park from the bedroom']")
    expect(view).to_have_attribute("srcset", re.compile(r"/media/.* 480w.*960w.*1600w"))
    view.scroll_into_view_if_needed()
    page.wait_for_function(
        "document.querySelector(\"img[alt='The park from the bedroom']\").naturalWidth > 0"
    )
    # The demo's first community: its two panoramas in Pannellum.
    expect(page.locator("#panorama .pnlm-render-container")).to_be_attached()

    ContentHistory.open(page, live_server, "property", prop_id).restore(1)
    PublicListing.open(page, live_server, unit_id)
    expect(page.locator(".listing-detail strong", has_text="sunny")).to_have_count(0)
