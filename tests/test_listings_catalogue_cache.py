"""Listing pages keep catalogue facts per process: few queries, and never stale or personal.

Every change to catalogue rows raises the catalogue version in its own transaction,
so the next request of any process shows it; what belongs to the visitor (saved
listings, places, commutes) is worked out for them on every request.
"""

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.listings.catalogue_version import CatalogueCache, catalogue_version
from portal.models import GeoRegion, Media, NeighbourhoodSummary, Unit
from tests.factories import gen_internet, gen_property, gen_unit
from tests.sql_statements import recorded
from tests.studio_helpers import editor_fields, sign_in_marketer


@pytest.fixture
def queries(app):
    """The SQL statements run while the test runs, as a list it can clear."""
    with recorded() as seen:
        yield seen


@pytest.fixture
def listed():
    """Two communities with a photo, internet and three units between them."""
    units = []
    for n in range(2):
        prop = gen_property(name=f"House {n}", description=f"House {n} as it was.")
        gen_internet(prop)
        db.session.add(
            Media(
                property_id=prop.id,
                kind="photo",
                url="img/demo/photo-living.svg",
                alt_text=f"House {n} from the street",
            )  # fmt: skip
        )
        units += [gen_unit(prop, rent_eur=1000 + 100 * n), gen_unit(prop, rent_eur=1500)]
    db.session.commit()
    return units


def _warm_then_count(client, queries, path: str) -> int:
    assert client.get(path).status_code == 200
    queries.clear()
    assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "path", ["/listings/", "/listings/?bedrooms=1&max_rent=2500", "/listings/?page=1", "/"]
)
def test_an_index_page_seen_before_costs_one_query(client, queries, listed, path):
    """Cards, the search page and the filter form are kept: only the version is read."""
    assert _warm_then_count(client, queries, path) == 1


def test_a_listing_page_seen_before_costs_one_query_for_a_new_visitor(client, queries, listed):
    """Its catalogue parts are kept; a visitor with no id has no priorities or saved homes."""
    assert _warm_then_count(client, queries, f"/listings/{listed[0].id}") == 1


def test_a_returning_visitor_s_listing_page_reads_only_their_own_rows(client, queries, listed):
    """Priorities, browsing signals and saved homes: three queries besides the version."""
    client.post(f"/me/saved/{listed[1].id}")
    assert _warm_then_count(client, queries, f"/listings/{listed[0].id}") == 4


def test_a_first_index_page_loads_its_cards_in_one_go(client, queries, listed):
    """Cold: version, count, page ids, then the units with their photos and internet."""
    queries.clear()
    client.get("/listings/")
    assert len(queries) == 6


def test_a_studio_publish_shows_on_the_next_request(client, auth, listed):
    """The listing page was kept; publishing new text replaces it at once."""
    prop_id = listed[0].property_id
    assert "House 0 as it was." in client.get(f"/listings/{listed[0].id}").get_data(as_text=True)
    sign_in_marketer(client, auth)
    client.post(
        f"/studio/content/property/{prop_id}",
        data=editor_fields("property", prop_id, description="**Renovated**", action="publish"),
    )
    page = client.get(f"/listings/{listed[0].id}").get_data(as_text=True)
    assert "<strong>Renovated</strong>" in page
    assert "House 0 as it was." not in page


def test_a_studio_restore_shows_on_the_next_request(client, auth, listed):
    """Restoring an earlier revision replaces the kept page too."""
    from portal.models import ContentRevision

    prop_id = listed[0].property_id
    sign_in_marketer(client, auth)
    for text in ("First words", "Second words"):
        client.post(
            f"/studio/content/property/{prop_id}",
            data=editor_fields("property", prop_id, description=text, action="publish"),
        )
    assert "Second words" in client.get(f"/listings/{listed[0].id}").get_data(as_text=True)
    first, second = db.session.scalars(sa.select(ContentRevision).order_by(ContentRevision.number))
    client.post(
        f"/studio/content/property/{prop_id}/restore/{first.id}",
        data={"base_revision": str(second.id)},
    )
    assert "First words" in client.get(f"/listings/{listed[0].id}").get_data(as_text=True)


def test_a_published_photo_text_shows_on_the_next_index_card(client, auth, listed):
    """The card heads were kept; the studio's new alt text is on the next index page."""
    prop_id = listed[0].property_id
    assert "House 0 from the street" in client.get("/listings/").get_data(as_text=True)
    sign_in_marketer(client, auth)
    fields = editor_fields("property", prop_id, action="publish")
    fields["media-0-alt_text"] = "The new facade"
    assert client.post(f"/studio/content/property/{prop_id}", data=fields).status_code == 303
    index = client.get("/listings/").get_data(as_text=True)
    assert "The new facade" in index
    assert "House 0 from the street" not in index


def test_an_imported_change_shows_on_the_next_index_and_listing_page(client, listed):
    """Rows written by an import (or the demo load) raise the version: new rent, new unit."""
    client.get("/listings/")
    client.get(f"/listings/{listed[0].id}")
    listed[0].rent_eur = 1234
    added = gen_unit(db.session.get(Unit, listed[0].id).property, rent_eur=999)
    db.session.commit()
    index = client.get("/listings/").get_data(as_text=True)
    assert "€1\u202f234" in index
    assert f"/listings/{added.id}" in index
    assert "€1\u202f234" in client.get(f"/listings/{listed[0].id}").get_data(as_text=True)


def test_a_bulk_statement_raises_the_version(app, listed):
    """UPDATE and DELETE statements bypass the flush; they raise the version too."""
    before = catalogue_version()
    db.session.execute(sa.update(Unit).where(Unit.id == listed[0].id).values(status="reserved"))
    after_update = catalogue_version()
    db.session.execute(sa.delete(Media))
    assert before < after_update < catalogue_version()


def test_the_demo_load_raises_the_version(app, runner):
    """`flask demo load` (the import of the demo city) is a catalogue change."""
    before = catalogue_version()
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert catalogue_version() > before


def test_a_geo_import_and_a_neighbourhood_refresh_raise_the_version(app, geo_region):
    """The region import committed in the fixture, and storing a summary, are changes."""
    from portal.listings.neighbourhoods import refresh_job

    assert db.session.scalar(sa.select(sa.func.count(GeoRegion.id))) == 1
    imported = catalogue_version()
    assert imported > 0
    prop = gen_property()
    db.session.commit()
    created = catalogue_version()
    refresh_job([prop.id])
    assert db.session.scalar(sa.select(sa.func.count(NeighbourhoodSummary.id))) == 1
    assert catalogue_version() > created > imported


def test_a_visitor_s_own_writes_keep_the_version(client, listed):
    """Saving a home or setting up a tour type changes no catalogue row: kept pages stay."""
    from tests.factories import gen_tour_type

    before = catalogue_version()
    assert client.post(f"/me/saved/{listed[0].id}").status_code == 303
    gen_tour_type(db.session.get(Unit, listed[0].id).property)
    db.session.commit()
    assert catalogue_version() == before


def test_another_process_sees_a_change_on_its_next_request(app, app_factory, listed):
    """Another app on the database stands for another gunicorn worker: the version is shared."""
    worker = app_factory().test_client()  # its requests use its own app, cache and session
    path = f"/listings/{listed[0].id}"
    assert "House 0 as it was." in worker.get(path).get_data(as_text=True)
    listed[0].property.description_html = "<p>Changed by the other worker.</p>"
    db.session.commit()
    assert "Changed by the other worker." in worker.get(path).get_data(as_text=True)


def test_one_visitor_s_saved_home_is_not_shown_to_another(app, listed):
    """The page's catalogue parts are shared; the saved state is each visitor's own."""
    ann, bob = app.test_client(), app.test_client()
    ann.post(f"/me/saved/{listed[0].id}")
    assert "♥ Saved" in ann.get(f"/listings/{listed[0].id}").get_data(as_text=True)
    bob_page = bob.get(f"/listings/{listed[0].id}").get_data(as_text=True)
    assert "♥ Saved" not in bob_page
    assert "♡ Save" in bob_page


def test_one_visitor_s_places_are_not_shown_to_another(app, geo_region, demo):
    """Saved places and their commutes are rendered per visitor, on the index and a listing."""
    unit_id = db.session.scalar(sa.select(Unit.id).order_by(Unit.rent_eur, Unit.id))
    ann, bob = app.test_client(), app.test_client()
    for client in (ann, bob):  # both see the pages first, so they are kept
        client.get("/listings/")
        client.get(f"/listings/{unit_id}")
    ann.post(
        "/commute/", data={"label": "Ann's gym", "address": "Mannerheimintie 5", "mode": "walk"}
    )
    for path in ("/listings/", f"/listings/{unit_id}"):
        assert "Ann&#39;s gym" in ann.get(path).get_data(as_text=True)
        assert "Ann&#39;s gym" not in bob.get(path).get_data(as_text=True)


def test_the_cache_drops_an_older_version_and_does_not_keep_a_late_reader_s_value():
    """A newer version empties it; a value made for an older one is returned, not kept."""
    cache = CatalogueCache()
    assert cache.get(1, "card", lambda: "v1") == "v1"
    assert cache.get(2, "card", lambda: "v2") == "v2"
    assert cache.get(1, "card", lambda: "late") == "late"
    assert cache.peek(2, "card") == "v2"
    assert cache.peek(1, "card") is None


def test_the_cache_keeps_at_most_its_bound_dropping_the_least_used():
    """Query strings are the visitors': the number of pages kept has a limit."""
    cache = CatalogueCache(max_entries=2)
    for key in ("a", "b"):
        cache.put(1, key, key)
    cache.peek(1, "a")
    cache.put(1, "c", "c")
    assert (cache.peek(1, "a"), cache.peek(1, "b"), cache.peek(1, "c")) == ("a", None, "c")


def test_the_api_search_loads_its_units_with_the_page(client, queries, listed):
    """The JSON search keeps no cards: count, then the units with their photos and internet."""
    queries.clear()
    assert client.get("/api/v1/listings").status_code == 200
    assert len(queries) == 4


def test_what_an_uncommitted_change_shows_is_never_kept(app, listed):
    """A transaction that raised the version and rolled back leaves nothing behind: its
    version number is the next committed change's, which must not find its values."""
    cache = CatalogueCache()
    unit = listed[0]
    unit.rent_eur = 9999
    version = catalogue_version()  # raised by the flush, not committed
    assert cache.get(version, "rent", lambda: unit.rent_eur) == 9999
    db.session.rollback()
    assert cache.peek(version, "rent") is None

    unit.rent_eur = 1234
    db.session.commit()
    version = catalogue_version()
    assert cache.get(version, "rent", lambda: db.session.get(Unit, unit.id).rent_eur) == 1234
    assert cache.peek(version, "rent") == 1234  # committed: kept


def test_a_request_reads_the_version_once_until_it_raises_it(app, queries, listed):
    """Asked again in the same request and transaction, the version is not read again;
    a change the request flushes raises it, and the next ask reads the raised one."""
    with app.test_request_context("/listings/"):
        first = catalogue_version()
        queries.clear()
        assert catalogue_version() == first
        assert queries == []
        listed[0].rent_eur += 1
        assert catalogue_version() == first + 1
    with app.test_request_context("/listings/"):
        db.session.rollback()
        queries.clear()
        assert catalogue_version() == first  # a new request, after the rollback
        assert len(queries) == 1
