"""Commute for visitors: places kept in the session, minutes on cards, filter and sort."""

import pytest

from tests.html import listed_ids


def _add_place(client, address="Mannerheimintie 5", **extra):
    data = {"label": "Work", "address": address, "mode": "transit", "arrive_by": "09:00"} | extra
    return client.post("/commute/", data=data)


def test_visitor_adds_a_place_and_sees_minutes_on_every_card(client, demo, geo_region):
    """After adding "Mannerheimintie 5", every card shows walk/bike/drive/transit minutes."""
    response = _add_place(client)
    assert response.status_code == 303
    page = client.get("/commute/").get_data(as_text=True)
    assert "Mannerheimintie 5, 00100 Helsinki" in page
    html = client.get("/listings/").get_data(as_text=True)
    cards = html.count('class="card listing-card"')
    assert cards > 0
    assert html.count("<strong>Work:</strong> walk") == cards
    assert "transit ~" in html


def test_detail_page_shows_the_commute_table(client, demo, geo_region):
    """The detail page lists minutes per place and mode, transit marked as an estimate."""
    _add_place(client)
    unit_id = client.get("/api/v1/listings").json["items"][0]["id"]
    html = client.get(f"/listings/{unit_id}").get_data(as_text=True)
    assert "Your commute" in html
    assert "arrive by 09:00" in html
    assert "is an estimate" in html


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("Olematonkatu 3", "could not find"),
        ("60.3, 24.9", "outside the area we cover"),
        ("Aleksanterinkatu", "Add the house number"),
        ("", "Enter an address"),
    ],
)
def test_bad_place_addresses_are_explained_and_nothing_saved(
    client, demo, geo_region, address, message
):
    """Unknown, uncovered or incomplete addresses are refused with a reason."""
    response = _add_place(client, address=address)
    assert response.status_code in (400, 422)
    assert message in response.get_data(as_text=True)
    assert "0 places saved" in client.get("/commute/").get_data(as_text=True)


def test_places_can_be_removed_and_are_capped_at_five(client, geo_region):
    """A visitor keeps at most five places and can remove any of them."""
    for n in range(5):
        assert _add_place(client, label=f"Place {n}").status_code == 303
    sixth = _add_place(client, label="One too many")
    assert sixth.status_code == 422
    assert "up to 5 places" in sixth.get_data(as_text=True)
    assert client.post("/commute/0/delete").status_code == 303
    assert client.post("/commute/42/delete").status_code == 303
    assert "4 places saved" in client.get("/commute/").get_data(as_text=True)


def test_address_autocomplete_returns_options(client, geo_region):
    """The htmx autocomplete offers known addresses as datalist options."""
    html = client.get("/commute/suggest?address=Mannerheimintie+1").get_data(as_text=True)
    assert '<option value="Mannerheimintie 1">' in html


def test_sort_by_commute_orders_cards_by_minutes(client, demo, geo_region):
    """sort=commute lists the nearest homes first and shows their minutes."""
    query = "commute_to=Mannerheimintie+5&mode=walk&sort=commute"
    api = client.get(f"/api/v1/listings?{query}").json
    minutes = [item["commute"]["minutes"] for item in api["items"]]
    assert minutes == sorted(minutes)
    html = client.get(f"/listings/?{query}").get_data(as_text=True)
    assert listed_ids(html) == [item["id"] for item in api["items"]]
    assert "min</strong> by walk to Mannerheimintie 5" in html


def test_max_minutes_filters_listings(client, demo, geo_region):
    """max_minutes keeps only homes within that many minutes; fewer than without it."""
    all_total = client.get("/api/v1/listings").json["total"]
    near = client.get("/api/v1/listings?commute_to=Mannerheimintie+5&mode=walk&max_minutes=8").json
    assert 0 < near["total"] < all_total
    assert all(item["commute"]["minutes"] <= 8 for item in near["items"])


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ("sort=commute", 400, "invalid_filter"),
        ("max_minutes=10", 400, "invalid_filter"),
        ("commute_to=Mannerheimintie+5&mode=boat&sort=commute", 400, "invalid_filter"),
        ("commute_to=Mannerheimintie+5&max_minutes=0", 400, "invalid_filter"),
        ("commute_to=60.3,24.9&sort=commute", 422, "outside_coverage"),
        ("commute_to=Olematonkatu+3&sort=commute", 422, "unknown_address"),
    ],
)
def test_listing_commute_parameters_are_validated(client, geo_region, query, status, code):
    """Commute filters without a destination, bad modes and bad addresses are clear errors."""
    response = client.get(f"/api/v1/listings?{query}")
    assert response.status_code == status
    assert response.json["error"]["code"] == code


def test_listing_page_explains_a_bad_commute_address(client, demo, geo_region):
    """The page shows the reason next to the field instead of results."""
    response = client.get("/listings/?commute_to=60.3,24.9&sort=commute")
    assert response.status_code == 422
    assert "outside the area we cover" in response.get_data(as_text=True)


def test_destination_alone_shows_minutes_in_rent_order(client, demo, geo_region):
    """commute_to without a filter or sort keeps rent order and adds each home's minutes."""
    plain = client.get("/api/v1/listings").json["items"]
    with_commute = client.get("/api/v1/listings?commute_to=Mannerheimintie+5&mode=drive").json
    assert [i["id"] for i in with_commute["items"]] == [i["id"] for i in plain]
    assert all(i["commute"]["mode"] == "drive" for i in with_commute["items"])


def test_checking_a_commute_is_a_signal_only_with_consent(client, geo_region):
    """Adding a place records "commute_checked" for a consenting visitor, and nothing otherwise."""
    import sqlalchemy as sa

    from portal.extensions import db
    from portal.models import BrowsingSignal
    from tests.prospect_session import give_consent

    def signals():
        return list(db.session.execute(sa.select(BrowsingSignal.kind, BrowsingSignal.topic)))

    give_consent(client, "necessary")
    _add_place(client, label="Work")
    assert signals() == []
    give_consent(client, "all")
    _add_place(client, label="Gym")
    assert signals() == [("commute_checked", "Gym")]
