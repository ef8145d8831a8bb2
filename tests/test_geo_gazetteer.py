"""The offline geocoder over imported addresses, behind geopy's interface."""

import pytest
from geopy.location import Location

from portal.geo.distance import haversine_m
from portal.geo.gazetteer import LocalGazetteer
from portal.geo.geocoding import resolve_address
from portal.geo.settings import GeoSettings

SETTINGS = GeoSettings()


def test_exact_address_is_found(geo_region):
    """ "Mannerheimintie 5" is the Uusi ylioppilastalo building (REFERENCE data note)."""
    location = LocalGazetteer().geocode("Mannerheimintie 5")
    assert isinstance(location, Location)
    assert location.raw["match"] == "exact"
    assert haversine_m(location.latitude, location.longitude, 60.169412, 24.940183) < 30
    assert location.address.startswith("Mannerheimintie 5")


@pytest.mark.parametrize("query", ["mannerheimintie 5", "Manerheimintie 5", "Mannerheimintie 5,"])
def test_case_and_spelling_mistakes_are_forgiven(geo_region, query):
    """Lower case, a missing letter and stray punctuation still find the street."""
    location = LocalGazetteer().geocode(query)
    assert location is not None
    assert location.raw["street"] == "Mannerheimintie"
    assert location.raw["housenumber"] == "5"


def test_unknown_number_between_known_ones_is_interpolated(geo_region):
    """Annankatu 17 (not mapped) lies between 13 and 19 on the odd side of the street."""
    gazetteer = LocalGazetteer()
    location = gazetteer.geocode("Annankatu 17")
    assert location.raw["match"] == "interpolated"
    assert location.raw["between"] == ["13", "19"]
    below, above = gazetteer.geocode("Annankatu 13"), gazetteer.geocode("Annankatu 19")
    span = haversine_m(below.latitude, below.longitude, above.latitude, above.longitude)
    to_below = haversine_m(below.latitude, below.longitude, location.latitude, location.longitude)
    to_above = haversine_m(above.latitude, above.longitude, location.latitude, location.longitude)
    assert to_below == pytest.approx(span * 4 / 6, rel=0.01)
    assert to_above == pytest.approx(span * 2 / 6, rel=0.01)


def test_outside_coverage_is_reported(geo_region):
    """A point outside the imported extract is "outside the area we cover", never routed."""
    outcome = resolve_address("60.2500, 24.9000", SETTINGS)
    assert outcome.status == "outside_coverage"
    assert "outside the area we cover" in outcome.message


def test_unknown_street_is_not_found(geo_region):
    """A street that is not in the extract gives a clear message."""
    outcome = resolve_address("Olematonkatu 3", SETTINGS)
    assert outcome.status == "not_found"
    assert "could not find" in outcome.message


def test_unknown_number_offers_the_nearest_numbers(geo_region):
    """A house number beyond the street's known ones lists the closest real addresses."""
    outcome = resolve_address("Mannerheimintie 999", SETTINGS)
    assert outcome.status == "not_found"
    assert outcome.candidates
    assert all(c.address.startswith("Mannerheimintie") for c in outcome.candidates)
    assert "Did you mean" in outcome.message


def test_street_without_number_is_ambiguous(geo_region):
    """A street alone is ambiguous: we ask for the house number."""
    outcome = resolve_address("Aleksanterinkatu", SETTINGS)
    assert outcome.status == "ambiguous"
    assert "house number" in outcome.message
    assert outcome.candidates


def test_reverse_geocoding_finds_the_nearest_address(geo_region):
    """reverse() returns the nearest known address within 150 m."""
    location = LocalGazetteer().reverse("60.169412, 24.940183")
    assert location.raw["street"] == "Mannerheimintie"
    assert LocalGazetteer().reverse((60.30, 24.90)) is None


def test_suggestions_complete_streets_and_numbers(geo_region):
    """Autocomplete offers real addresses starting with what was typed."""
    gazetteer = LocalGazetteer()
    assert "Mannerheimintie 5" in gazetteer.suggest("Mannerheimintie 5")
    assert all(s.startswith("Mannerhei") for s in gazetteer.suggest("mannerhei"))
    assert gazetteer.suggest("%") == []


def test_configured_geopy_geocoder_is_used_instead(geo_region):
    """Any geopy geocoder can replace ours; its answer is still checked against coverage."""

    class FakeNominatim:
        def geocode(self, query, exactly_one=True, limit=None):
            return [Location("Somewhere far", (61.5, 23.7), {})]

    outcome = resolve_address("Hämeenkatu 1, Tampere", SETTINGS, geocoder=FakeNominatim())
    assert outcome.status == "outside_coverage"


def test_geocoder_setting_builds_a_geopy_geocoder():
    """GEO_GEOCODER names any geopy service; its options come from GEO_GEOCODER_OPTIONS."""
    from geopy.geocoders import Nominatim

    from portal.geo.geocoding import make_geocoder

    settings = GeoSettings(
        geocoder="nominatim",
        geocoder_options={"domain": "nominatim.internal", "user_agent": "doorstep-test"},
    )
    geocoder = make_geocoder(settings)
    assert isinstance(geocoder, Nominatim)
    assert geocoder.domain == "nominatim.internal"
    assert isinstance(make_geocoder(GeoSettings()), LocalGazetteer)
