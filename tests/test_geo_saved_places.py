"""Commute from saved places: the index sorts and limits by minutes to a place already saved."""

from tests.html import listed_ids
from tests.prospect_session import sign_in


def _save(client, label, address, mode="walk"):
    response = client.post("/commute/", data={"label": label, "address": address, "mode": mode})
    assert response.status_code == 303


def test_visitor_sorts_by_commute_to_their_first_place(client, demo, geo_region):
    """ "Shortest commute first" with no address typed ranks by the first saved place."""
    _save(client, "Work", "Mannerheimintie 5", mode="bike")
    _save(client, "School", "Annankatu 19")
    page = client.get("/listings/?sort=commute")
    assert page.status_code == 200
    typed = client.get("/listings/?sort=commute&commute_to=Mannerheimintie+5&mode=bike")
    html = page.get_data(as_text=True)
    assert listed_ids(html) == listed_ids(typed.get_data(as_text=True))
    assert "by bike to Work" in html
    assert "Enter where you commute to first" not in html


def test_visitor_picks_another_place_and_mode(client, demo, geo_region):
    """place=2 ranks by the second place; a chosen mode beats the place's own."""
    _save(client, "Work", "Mannerheimintie 5")
    _save(client, "School", "Annankatu 19", mode="transit")
    page = client.get("/listings/?sort=commute&place=2")
    typed = client.get("/listings/?sort=commute&commute_to=Annankatu+19&mode=transit")
    assert listed_ids(page.get_data(as_text=True)) == listed_ids(typed.get_data(as_text=True))
    walking = client.get("/listings/?sort=commute&place=2&mode=walk").get_data(as_text=True)
    assert "by walk to School" in walking


def test_max_minutes_uses_the_saved_place(client, demo, geo_region):
    """A commute limit with no address keeps only homes within reach of the first place."""
    _save(client, "Work", "Mannerheimintie 5")
    limited = client.get("/listings/?max_minutes=5").get_data(as_text=True)
    typed = client.get("/listings/?max_minutes=5&commute_to=Mannerheimintie+5&mode=walk")
    assert listed_ids(limited) == listed_ids(typed.get_data(as_text=True))


def test_an_unknown_place_number_is_refused(client, demo, geo_region):
    """place=3 with two saved places is a 400 naming the field, not a 500."""
    _save(client, "Work", "Mannerheimintie 5")
    response = client.get("/listings/?sort=commute&place=3")
    assert response.status_code == 400
    assert "Choose one of your saved places" in response.get_data(as_text=True)


def test_without_places_the_address_is_still_asked_for(client, demo, geo_region):
    """No saved place and no address: the page still asks where to commute to."""
    response = client.get("/listings/?sort=commute")
    assert response.status_code == 400
    assert "Enter where you commute to first" in response.get_data(as_text=True)


def test_signed_in_prospect_sorts_page_and_api_by_a_saved_place(client, demo, geo_region):
    """A prospect's stored places drive the page and the API; cards show minutes to each."""
    sign_in(client, "commuter@example.com")
    _save(client, "Office", "Mannerheimintie 5", mode="drive")
    page = client.get("/listings/?sort=commute").get_data(as_text=True)
    typed = client.get("/api/v1/listings?sort=commute&commute_to=Mannerheimintie+5&mode=drive")
    api = client.get("/api/v1/listings?sort=commute")
    assert api.status_code == 200
    assert [i["id"] for i in api.json["items"]] == [i["id"] for i in typed.json["items"]]
    assert listed_ids(page)[: len(api.json["items"])] == [i["id"] for i in api.json["items"]]
    assert all(i["commute"]["mode"] == "drive" for i in api.json["items"])
    assert "<strong>Office:</strong> walk" in page
    assert client.get("/api/v1/listings?sort=commute&place=1").status_code == 200


def test_api_place_needs_a_signed_in_prospect(client, demo, geo_region):
    """An anonymous API call naming a saved place answers 400 naming `place`."""
    response = client.get("/api/v1/listings?sort=commute&place=1")
    assert response.status_code == 400
    assert "place" in response.json["error"]["fields"]
