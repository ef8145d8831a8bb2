"""Saved homes and the side-by-side comparison of up to four."""

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import Favourite
from portal.prospects import favourites
from portal.prospects.favourites import (
    MAX_FAVOURITES,
    MAX_VISITOR_FAVOURITES,
    FavouriteRefused,
    add_favourite,
)
from tests.factories import gen_internet, gen_property, gen_prospect, gen_unit
from tests.prospect_session import sign_in


def _units(n: int):
    units = []
    for i in range(n):
        prop = gen_property()
        gen_internet(prop, max_down_mbps=100 * (i + 1))
        units.append(gen_unit(prop, rent_eur=1000 + 100 * i))
    db.session.commit()
    return units


def test_visitor_saves_and_unsaves_a_home(client):
    """A visitor saves a home without an account, sees it listed, and removes it."""
    (unit,) = _units(1)
    assert client.post(f"/me/saved/{unit.id}").status_code == 303
    assert unit.title in client.get("/me/saved").get_data(as_text=True)
    assert client.post(f"/me/saved/{unit.id}").status_code == 303  # twice: still once
    assert db.session.scalar(sa.select(sa.func.count(Favourite.id))) == 1
    assert client.post(f"/me/saved/{unit.id}/remove").status_code == 303
    assert db.session.scalar(sa.select(sa.func.count(Favourite.id))) == 0


def test_saving_by_htmx_swaps_the_button(client):
    """The htmx save returns the pressed button fragment."""
    (unit,) = _units(1)
    response = client.post(f"/me/saved/{unit.id}", headers={"HX-Request": "true"})
    assert 'aria-pressed="true"' in response.get_data(as_text=True)
    assert "/remove" in response.get_data(as_text=True)


def test_saving_an_unknown_or_unlisted_home_is_a_404(client):
    """Only listed homes can be saved."""
    (unit,) = _units(1)
    unit.status = "leased"
    db.session.commit()
    assert client.post(f"/me/saved/{unit.id}").status_code == 404
    assert client.post("/me/saved/999999").status_code == 404


def test_listing_page_shows_the_saved_state(client):
    """The listing page's button says whether the home is saved."""
    (unit,) = _units(1)
    assert "♡ Save" in client.get(f"/listings/{unit.id}").get_data(as_text=True)
    client.post(f"/me/saved/{unit.id}")
    assert "♥ Saved" in client.get(f"/listings/{unit.id}").get_data(as_text=True)


def test_compare_shows_the_saved_homes_side_by_side(client):
    """Without ids, compare shows the saved homes with rent, size, internet and fit rows."""
    a, b = _units(2)
    client.post(f"/me/saved/{a.id}")
    client.post(f"/me/saved/{b.id}")
    page = client.get("/me/compare").get_data(as_text=True)
    for label in (
        "Rent",
        "Size",
        "Commute",
        "Walkability",
        "Nearest grocery",
        "Internet",
        "Fit for you",
    ):
        assert f">{label}</th>" in page
    assert "€1\u202f000 / month" in page
    assert "€1\u202f100 / month" in page
    assert "Not known yet" in page  # no geo facts yet: said, not invented


def test_compare_takes_at_most_four(client):
    """Five ids show four, with a note."""
    units = _units(5)
    ids = ",".join(str(u.id) for u in units)
    page = client.get(f"/me/compare?ids={ids}").get_data(as_text=True)
    assert "You can compare up to 4 homes" in page
    assert units[3].title in page
    assert f'href="/listings/{units[4].id}"' not in page


def test_compare_ignores_unknown_ids_with_a_note(client):
    """Unknown or malformed ids are left out and named in a note."""
    (unit,) = _units(1)
    page = client.get(f"/me/compare?ids={unit.id}&ids=999999&ids=abc").get_data(as_text=True)
    assert "We left out 2 listings" in page
    assert "999999, abc" in page
    assert f'href="/listings/{unit.id}"' in page


def test_prospect_favourites_are_kept_in_the_account(client):
    """A signed-in prospect's saved homes are stored on the account."""
    (unit,) = _units(1)
    prospect = sign_in(client, "pia@example.com")
    client.post(f"/me/saved/{unit.id}")
    saved = db.session.scalar(sa.select(Favourite).where(Favourite.prospect_id == prospect.id))
    assert saved.unit_id == unit.id


def _one_community_units(n: int):
    prop = gen_property()
    units = [gen_unit(prop) for _ in range(n)]
    db.session.commit()
    return units


def _favourites() -> int:
    return db.session.scalar(sa.select(sa.func.count(Favourite.id)))


def test_a_visitor_list_is_capped_and_says_how_to_save_more(client):
    """Past the visitor cap a save is refused with a clear message and writes nothing."""
    *allowed, extra = _one_community_units(MAX_VISITOR_FAVOURITES + 1)
    client.post(f"/me/saved/{allowed[0].id}")
    with client.session_transaction() as session:
        visitor_id = session["visitor_id"]
    for unit in allowed[1:]:
        add_favourite(unit.id, visitor_id=visitor_id)
    db.session.commit()
    response = client.post(f"/me/saved/{extra.id}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f"up to {MAX_VISITOR_FAVOURITES} homes without an account" in page
    assert "Sign in" in page
    assert _favourites() == MAX_VISITOR_FAVOURITES


def test_over_the_cap_the_htmx_button_shows_the_message(client):
    """The htmx save answers with the unpressed button and the reason beside it."""
    *allowed, extra = _one_community_units(MAX_VISITOR_FAVOURITES + 1)
    client.post(f"/me/saved/{allowed[0].id}")
    with client.session_transaction() as session:
        visitor_id = session["visitor_id"]
    for unit in allowed[1:]:
        add_favourite(unit.id, visitor_id=visitor_id)
    db.session.commit()
    response = client.post(f"/me/saved/{extra.id}", headers={"HX-Request": "true"})
    assert response.status_code == 400
    fragment = response.get_data(as_text=True)
    assert 'aria-pressed="false"' in fragment
    assert 'role="alert"' in fragment
    assert "without an account" in fragment


def test_a_signed_in_prospect_keeps_the_higher_cap(client):
    """A prospect may save more than a visitor, up to the account's own limit."""
    units = _one_community_units(MAX_VISITOR_FAVOURITES + 1)
    prospect = sign_in(client, "pia@example.com")
    for unit in units[:-1]:
        add_favourite(unit.id, prospect=prospect)
    db.session.commit()
    assert client.post(f"/me/saved/{units[-1].id}").status_code == 303
    assert _favourites() == MAX_VISITOR_FAVOURITES + 1
    assert MAX_FAVOURITES > MAX_VISITOR_FAVOURITES


def test_an_account_list_is_capped_too(app, monkeypatch):
    """Even an account's list has an end, with its own message."""
    monkeypatch.setattr(favourites, "MAX_FAVOURITES", 2)
    prospect = gen_prospect()
    a, b, c = _one_community_units(3)
    add_favourite(a.id, prospect=prospect)
    add_favourite(b.id, prospect=prospect)
    with pytest.raises(FavouriteRefused, match="up to 2 homes"):
        add_favourite(c.id, prospect=prospect)
