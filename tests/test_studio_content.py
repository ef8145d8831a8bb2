"""The content editor: drafts, preview, publish, history, restore and conflicts."""

import sqlalchemy as sa

from portal.extensions import db
from portal.models import ContentDraft, ContentRevision
from tests.factories import gen_property, gen_staff, gen_unit
from tests.studio_helpers import editor_fields, sign_in_marketer


def _community():
    prop = gen_property(description="Old text")
    unit = gen_unit(prop)
    db.session.commit()
    return prop, unit


def test_a_saved_draft_does_not_change_the_public_page(client, auth):
    """Saving keeps the edit as a draft; the listing still shows the published text."""
    prop, unit = _community()
    sign_in_marketer(client, auth)
    response = client.post(
        f"/studio/content/property/{prop.id}",
        data=editor_fields("property", prop.id, description="**Brand new** text", action="save"),
    )
    assert response.status_code == 303
    assert (
        db.session.scalar(sa.select(ContentDraft.content)).get("description")
        == "**Brand new** text"
    )
    page = client.get(f"/listings/{unit.id}").get_data(as_text=True)
    assert "Brand new" not in page
    assert "Old text" in page


def test_publish_shows_the_sanitised_text_and_records_a_revision(client, auth):
    """Publishing renders the Markdown on the public page and keeps who and when."""
    prop, unit = _community()
    user = sign_in_marketer(client, auth)
    client.post(
        f"/studio/content/property/{prop.id}",
        data=editor_fields("property", prop.id, description="**Brand new** text", action="publish"),
    )
    page = client.get(f"/listings/{unit.id}").get_data(as_text=True)
    assert "<strong>Brand new</strong> text" in page
    revision = db.session.scalar(sa.select(ContentRevision))
    assert (revision.number, revision.published_by_name) == (1, user.name)
    assert db.session.scalar(sa.select(sa.func.count(ContentDraft.id))) == 0


def test_preview_renders_the_public_listing_with_the_draft(client, auth):
    """The htmx preview is the listing partial with the form's text, saving nothing."""
    prop, unit = _community()
    sign_in_marketer(client, auth)
    response = client.post(
        f"/studio/content/property/{prop.id}/preview",
        data=editor_fields("property", prop.id, description="*Preview only*"),
        headers={"HX-Request": "true"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<article class="listing-detail">' in html
    assert "<em>Preview only</em>" in html
    assert db.session.scalar(sa.select(sa.func.count(ContentDraft.id))) == 0


def test_restore_publishes_the_earlier_version_again(client, auth):
    """Restoring revision 1 after revision 2 makes a revision 3 with revision 1's text."""
    prop, unit = _community()
    sign_in_marketer(client, auth)
    for text in ("First version", "Second version"):
        client.post(
            f"/studio/content/property/{prop.id}",
            data=editor_fields("property", prop.id, description=text, action="publish"),
        )
    first, second = db.session.scalars(sa.select(ContentRevision).order_by(ContentRevision.number))
    history = client.get(f"/studio/content/property/{prop.id}/history").get_data(as_text=True)
    assert "<del>- First version</del>" in history
    assert "<ins>+ Second version</ins>" in history
    response = client.post(
        f"/studio/content/property/{prop.id}/restore/{first.id}",
        data={"base_revision": str(second.id)},
    )
    assert response.status_code == 303
    latest = db.session.scalar(sa.select(ContentRevision).order_by(ContentRevision.number.desc()))
    assert (latest.number, latest.restored_from_id) == (3, first.id)
    assert "First version" in client.get(f"/listings/{unit.id}").get_data(as_text=True)


def test_the_second_marketer_gets_a_conflict_and_keeps_their_edit(client, auth):
    """Two editors open the same content; the later save shows the other's change, saves nothing."""
    prop, unit = _community()
    sign_in_marketer(client, auth)
    opened = editor_fields("property", prop.id)  # both open the editor now
    client.post(
        f"/studio/content/property/{prop.id}",
        data={**opened, "description": "Mikko's words", "action": "publish"},
    )
    response = client.post(
        f"/studio/content/property/{prop.id}",
        data={**opened, "description": "My own words", "action": "save"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "changed this while you were editing" in html
    assert "Mikko&#39;s words" in html
    assert "My own words" in html
    assert db.session.scalar(sa.select(sa.func.count(ContentDraft.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(ContentRevision.id))) == 1


def test_a_megabyte_of_markdown_is_refused_with_the_limit(client, auth):
    """A 1 MB description is refused with the 20,000-character limit stated; nothing stored."""
    prop, _ = _community()
    sign_in_marketer(client, auth)
    response = client.post(
        f"/studio/content/property/{prop.id}",
        data=editor_fields("property", prop.id, description="a" * 1_048_576, action="publish"),
    )
    assert response.status_code == 422
    assert "limited to 20,000 characters" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(ContentRevision.id))) == 0


def test_a_window_view_needs_room_floor_and_orientation(client, auth):
    """Clearing a window view's orientation is refused, naming what is missing."""
    prop, unit = _community()
    from tests.factories import gen_media

    gen_media(unit, kind="window_view", room="Living room", floor=2, orientation="S")
    db.session.commit()
    sign_in_marketer(client, auth)
    response = client.post(
        f"/studio/content/unit/{unit.id}",
        data=editor_fields("unit", unit.id, **{"media-0-orientation": "", "action": "publish"}),
    )
    assert response.status_code == 422
    assert "A window view needs its orientation." in response.get_data(as_text=True)


def test_studio_home_links_to_content(client, auth):
    """The studio home links to the content editor (and only to pages that exist)."""
    sign_in_marketer(client, auth)
    html = client.get("/studio/").get_data(as_text=True)
    assert "/studio/content" in html


def test_the_demo_content_is_published_revision_one(demo, client):
    """`make run` shows history: every demo community and home has revision 1 by the marketer."""
    from portal.models import Property, Unit

    revisions = db.session.scalars(sa.select(ContentRevision)).all()
    subjects = db.session.scalar(sa.select(sa.func.count(Property.id))) + db.session.scalar(
        sa.select(sa.func.count(Unit.id))
    )
    assert len(revisions) == subjects
    assert {(r.number, r.published_by_name) for r in revisions} == {(1, "Mikko Marketer")}


def test_the_demo_panoramas_link_their_rooms(demo, client):
    """The first community's two panoramas are shown by Pannellum with hotspots between rooms."""
    from portal.models import Media

    panoramas = db.session.scalars(sa.select(Media).where(Media.asset_id.is_not(None))).all()
    assert {m.room for m in panoramas} == {"Living room", "Kitchen"}
    assert {h["room"] for m in panoramas for h in m.hotspots} == {"Living room", "Kitchen"}
    unit = next(u for u in panoramas[0].property.units if u.status != "leased")
    page = client.get(f"/listings/{unit.id}").get_data(as_text=True)
    assert "vendor/pannellum-2.5.7/pannellum" in page  # the served name may carry a hash
    assert 'class="panorama-scene"' in page


def test_two_draft_saves_from_the_same_version_conflict(app, fixed_clock):
    """The second of two saves naming draft version 1 is a Conflict carrying the first's text."""
    import pytest

    from portal.studio.content import find_subject
    from portal.studio.revisions import Conflict, editing_state, save_draft

    prop, _ = _community()
    aino, mikko = gen_staff("marketer", name="Aino"), gen_staff("marketer", name="Mikko")
    subject = find_subject("property", prop.id)
    state = editing_state(subject)
    content = dict(state.content)
    save_draft(subject, {**content, "description": "Aino's"}, base_revision_id=None,
               draft_version=0, staff=aino, now=fixed_clock)  # fmt: skip
    save_draft(subject, {**content, "description": "Aino's again"}, base_revision_id=None,
               draft_version=1, staff=aino, now=fixed_clock)  # fmt: skip
    with pytest.raises(Conflict) as raised:
        save_draft(subject, {**content, "description": "Mikko's"}, base_revision_id=None,
                   draft_version=1, staff=mikko, now=fixed_clock)  # fmt: skip
    assert raised.value.by == "Aino"
    assert raised.value.theirs["description"] == "Aino's again"
