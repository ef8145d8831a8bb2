"""Hostile and odd queries: a clear 400 or 422, never a 500, and no scan of the gazetteer."""

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.geo.geocoding import resolve_address
from portal.geo.settings import GeoSettings

HOSTILE = [
    "x" * 10_000,
    "Mannerheimintie 5" + "\x00" * 20,
    "\x00\x1b\x7f",
    "1234567890",
    "!!!???...",
    "😀🏠🚇",
    "\u202e5 eitnimiehrennaM",
    "' OR 1=1 --",
    "%_%_%",
    "Broad Street 99999999999999999999",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_geocode_api_answers_400_or_422(client, geo_region, query):
    """/api/v1/geocode never answers 5xx, whatever is typed."""
    response = client.get("/api/v1/geocode", query_string={"q": query})
    assert response.status_code in (200, 400, 422)
    assert response.json.get("error") or response.json.get("result")


@pytest.mark.parametrize("query", HOSTILE)
def test_listing_search_answers_400_or_422(client, geo_region, query):
    """The listing page and API refuse such commute_to values clearly."""
    for url in ("/listings/", "/api/v1/listings"):
        response = client.get(url, query_string={"commute_to": query, "sort": "commute"})
        assert response.status_code in (200, 400, 422), (url, response.status_code)


@pytest.mark.parametrize("query", ["1234567890", "!!!???...", "😀🏠🚇", "\x00\x1b\x7f", "x" * 300])
def test_queries_without_a_street_never_read_the_gazetteer(app, geo_region, query):
    """No address row is read for a query that cannot name a street."""
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        outcome = resolve_address(query, GeoSettings())
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert outcome.status == "invalid"
    assert not [s for s in statements if "geo_address" in s]


def test_a_misspelt_street_reads_one_street_not_all(app, geo_region):
    """A misspelt street is found through the in-memory index: one street's rows are read."""
    resolve_address("Mannerheimintie 5", GeoSettings())  # builds the index
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        outcome = resolve_address("Manerheimintie 5", GeoSettings())
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert outcome.found
    address_reads = [s for s in statements if "FROM geo_address" in s and "max(" not in s]
    assert len(address_reads) == 1
    assert "street_key IN" in address_reads[0]
