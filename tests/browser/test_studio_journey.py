"""The marketer edits, previews, publishes and restores in a real browser (desktop and phone)."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.extensions import db
from portal.models import Unit
from tests.browser.axe import axe_violations
from tests.browser.pages.studio import EditorPage, HistoryPage, SignInPage
from tests.studio_helpers import jpeg_bytes

VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture(params=sorted(VIEWPORTS))
def sized_page(request, browser):
    width, height = VIEWPORTS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    checked: list[tuple[str, list[str]]] = []
    refused: list[str] = []
    dialogs: list[str] = []
    # axe after every page load, not by hand in the journey; no script from content may
    # open a dialog, and the CSP refuses nothing of ours (Pannellum, htmx, embeds).
    page.on("load", lambda p: checked.append((p.url, axe_violations(p))))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    yield page
    context.close()
    assert len(checked) >= 6
    failures = [(url, v) for url, v in checked if v]
    assert failures == [], failures
    assert dialogs == []
    assert refused == []


def test_marketer_publishes_and_restores_a_description_and_window_view(
    live_server, demo, sized_page, tmp_path
):
    """Edit a description and a window view, preview, publish, see the page, restore."""
    page = sized_page
    unit = db.session.scalar(
        sa.select(Unit).where(Unit.status == "available").order_by(Unit.id).limit(1)
    )
    prop_id, unit_id = unit.property_id, unit.id
    SignInPage(page, live_server).sign_in(
        "marketer@doorstep.example", demo.staff["marketer@doorstep.example"]
    )

    editor = EditorPage(page, live_server, "property", prop_id).open()
    editor.write_description("A **sunny** building <script>alert(1)</script> by the park.")
    expect(editor.preview().locator("strong", has_text="sunny")).to_be_visible()
    expect(editor.preview()).to_contain_text("the <script> element")
    editor.publish()
    expect(editor.flash()).to_contain_text("Published as revision 2")

    photo = tmp_path / "view.jpg"
    photo.write_bytes(jpeg_bytes(1600, 1000, gps=True))
    unit_editor = EditorPage(page, live_server, "unit", unit_id).open()
    unit_editor.add_window_view(
        photo, alt="The park from the bedroom", room="Bedroom", floor=4, facing="W"
    )
    expect(unit_editor.flash()).to_contain_text("Draft saved")
    unit_editor.publish()
    expect(unit_editor.flash()).to_contain_text("Published as revision 2")

    page.goto(f"{live_server}/listings/{unit_id}")
    expect(page.locator(".listing-detail strong", has_text="sunny")).to_be_visible()
    if unit.property_id == 1:  # the demo's first community: its panoramas in Pannellum
        expect(page.locator("#panorama .pnlm-render-container")).to_be_attached()
    view = page.locator("img[alt='The park from the bedroom']")
    expect(view).to_have_attribute("srcset", re.compile(r"/media/.* 480w.*960w.*1600w"))
    view.scroll_into_view_if_needed()
    page.wait_for_function(
        "document.querySelector(\"img[alt='The park from the bedroom']\").naturalWidth > 0"
    )

    HistoryPage(page, live_server, "property", prop_id).open().restore(1)
    page.goto(f"{live_server}/listings/{unit_id}")
    expect(page.locator(".listing-detail strong", has_text="sunny")).to_have_count(0)
