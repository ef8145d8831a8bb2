"""Public pages: home, listings index with filters and pages, listing detail."""

from datetime import date

import pytest

from portal.extensions import db
from tests.factories import gen_internet, gen_media, gen_property, gen_unit
from tests.html import listed_ids


@pytest.fixture
def listings(app):
    """Three homes in one community, with known rents, sizes and dates."""
    prop = gen_property(name="Test Court")
    gen_internet(prop)
    cheap = gen_unit(prop, bedrooms=0, rent_eur=900, available_from=date(2026, 12, 1))
    mid = gen_unit(prop, bedrooms=2, rent_eur=1800, available_from=date(2027, 1, 15))
    big = gen_unit(prop, bedrooms=3, rent_eur=2600, available_from=date(2027, 3, 1))
    gen_unit(prop, bedrooms=2, rent_eur=1700, status="leased")
    db.session.commit()
    return {"cheap": cheap, "mid": mid, "big": big}


def _listed_ids(response) -> list[int]:
    return listed_ids(response.get_data(as_text=True))


def test_home_page_invites_a_search(client, demo):
    """The home page counts the homes and offers the search form."""
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "communities in central Helsinki" in html
    assert 'role="search"' in html
    assert "© <a" in html or "OpenStreetMap contributors" in html


def test_index_lists_only_homes_on_the_market(client, listings):
    """Leased units are not listed; the rest are, cheapest first."""
    response = client.get("/listings/")
    assert response.status_code == 200
    ids = _listed_ids(response)
    assert ids == [listings[k].id for k in ("cheap", "mid", "big")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("bedrooms=2", ["mid", "big"]),
        ("max_rent=1800", ["cheap", "mid"]),
        ("available_by=2027-01-31", ["cheap", "mid"]),
        ("bedrooms=1&max_rent=2000&available_by=2027-02-01", ["mid"]),
        ("max_rent=500", []),
    ],
)
def test_filters(client, listings, query, expected):
    """Bedrooms (at least), max rent and available-by narrow the list."""
    response = client.get(f"/listings/?{query}")
    assert response.status_code == 200
    assert _listed_ids(response) == [listings[k].id for k in expected]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("max_rent=abc", "max_rent", "Not a valid integer value."),
        ("max_rent=-5", "max_rent", "Enter a rent between"),
        ("max_rent=99999999999999999999", "max_rent", "Enter a rent between"),
        ("available_by=31.12.2026", "available_by", "Not a valid date value."),
        ("bedrooms=seven", "bedrooms", "Not a valid choice."),
        ("page=0", "page", "No such page."),
    ],
)
def test_bad_filter_shows_the_message(client, listings, query, field, message):
    """A bad filter is explained on the page, never a 500."""
    response = client.get(f"/listings/?{query}")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Please check the filters" in html
    assert message in html


def test_pagination(app, client, demo):
    """Pages hold LISTINGS_PER_PAGE homes and link to each other, keeping the filters."""
    per_page = app.config["LISTINGS_PER_PAGE"]
    first = client.get("/listings/?max_rent=5000")
    assert len(_listed_ids(first)) == per_page
    assert "page=2" in first.get_data(as_text=True)
    assert "max_rent=5000" in first.get_data(as_text=True)
    second = client.get("/listings/?max_rent=5000&page=2")
    assert set(_listed_ids(first)).isdisjoint(_listed_ids(second))


def test_page_past_the_end_is_empty_not_an_error(client, listings):
    """Asking for page 50 of 1 shows no homes and no crash."""
    response = client.get("/listings/?page=50")
    assert response.status_code == 200
    assert _listed_ids(response) == []


def test_htmx_request_gets_only_the_results(client, listings):
    """The filter form swaps in the results fragment, not a whole page."""
    response = client.get("/listings/?bedrooms=2", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert "2 homes" in html


def test_detail_shows_unit_and_property_facts(client, listings):
    """Rent, size, floor, view, amenities and internet all appear on the detail page."""
    unit = listings["mid"]
    gen_media(unit, kind="floor_plan", url="img/demo/plan-2.svg", alt_text="Floor plan")
    gen_media(
        unit,
        kind="window_view",
        url="img/demo/view-park.svg",
        alt_text="Park view",
        room="Bedroom 1",
        floor=3,
        orientation="E",
        caption="From bedroom 1, floor 3",
    )
    db.session.commit()
    html = client.get(f"/listings/{unit.id}").get_data(as_text=True)
    for fact in (
        "€1\u202f800",
        "42.5 m²",
        "Floor",
        "Courtyard",
        "Sauna",
        "Elisa",
        "1 Gbit/s down / 500 Mbit/s up",
        "Floor plan",
        "From bedroom 1, floor 3",
    ):
        assert fact in html, fact


def test_every_image_has_alt_text(client, demo):
    """Accessibility: no image on a detail page lacks an alt text."""
    first_id = listed_ids(client.get("/listings/").get_data(as_text=True))[0]
    html = client.get(f"/listings/{first_id}").get_data(as_text=True)
    images = html.split("<img")[1:]
    assert images
    assert all('alt="' in img.split(">")[0] and 'alt=""' not in img.split(">")[0] for img in images)


@pytest.mark.parametrize("path", ["/listings/999999", "/listings/abc"])
def test_unknown_listing_is_404(client, listings, path):
    """An unknown listing id is a friendly 404."""
    response = client.get(path)
    assert response.status_code == 404
    assert b"We could not find that page" in response.data


def test_leased_unit_is_not_shown(client, app):
    """A unit that is no longer on the market answers 404, not stale facts."""
    unit = gen_unit(status="leased")
    db.session.commit()
    assert client.get(f"/listings/{unit.id}").status_code == 404


def test_htmx_is_vendored_not_fetched(client):
    """Pages load htmx from our own static folder (no CDN), and the file is served."""
    html = client.get("/").get_data(as_text=True)
    assert "/static/vendor/htmx-2.0.4.min." in html  # content-hashed
    assert "unpkg" not in html
    assert "cdn" not in html.lower()
    with client.get("/static/vendor/htmx-2.0.4.min.js") as response:
        assert response.status_code == 200


def test_card_shows_best_internet_in_one_line(client, listings):
    """A listing card names the fastest connection the way people say it: "Fibre 1 Gbit/s"."""
    html = client.get("/listings/").get_data(as_text=True)
    assert "Fibre 1 Gbit/s" in html
