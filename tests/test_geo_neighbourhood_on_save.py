"""A property's neighbourhood is worked out when it is saved, not when a visitor first asks."""

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import NeighbourhoodSummary
from tests.factories import gen_property, gen_unit


@pytest.fixture
def app_config():
    return {"GEO_NEIGHBOURHOOD_ON_SAVE": True}


def _summary(prop_id):
    db.session.expire_all()  # the job stored it in a session of its own
    return db.session.scalar(
        sa.select(NeighbourhoodSummary).where(NeighbourhoodSummary.property_id == prop_id)
    )


def test_a_new_property_has_its_neighbourhood_once_saved(geo_region):
    """A new property gets its summary from the job once the save commits, not before."""
    prop = gen_property(lat=60.1674, lon=24.9366)
    assert _summary(prop.id) is None  # nothing before the commit
    db.session.commit()
    summary = _summary(prop.id)
    assert summary is not None
    assert summary.region_id == geo_region.id
    assert (summary.origin_lat, summary.origin_lon) == (60.1674, 24.9366)
    assert 0 <= summary.walkability <= 100


def test_moving_a_property_recomputes_and_other_edits_do_not(geo_region):
    """Only a change of position recomputes; renaming keeps the stored summary."""
    prop = gen_property(lat=60.1674, lon=24.9366)
    db.session.commit()
    first = _summary(prop.id).computed_at
    prop.name = "Renamed"
    db.session.commit()
    assert _summary(prop.id).computed_at == first
    prop.lat, prop.lon = 60.1700, 24.9420
    db.session.commit()
    moved = _summary(prop.id)
    assert (moved.origin_lat, moved.origin_lon) == (60.1700, 24.9420)
    assert moved.computed_at >= first


def test_a_rolled_back_save_computes_nothing(geo_region):
    """A save that rolls back schedules no precompute."""
    gen_property(slug="never-saved")
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count(NeighbourhoodSummary.property_id))) == 0


def test_a_property_outside_every_region_is_saved_without_one(geo_region):
    """A property no imported region covers is saved without a summary."""
    prop = gen_property(lat=61.5, lon=23.8)  # Tampere: outside the demo extract
    db.session.commit()
    assert _summary(prop.id) is None


def test_a_listing_read_with_a_stale_summary_writes_nothing_and_leaves_it_to_the_job(
    client, geo_region, monkeypatch
):
    """A GET shows current facts for a moved building; only the scheduled job stores them."""
    from portal.listings import neighbourhoods

    unit = gen_unit(gen_property(lat=60.1674, lon=24.9366))
    db.session.commit()
    stored_at = _summary(unit.property_id).computed_at
    unit.property.lat, unit.property.lon = 60.1700, 24.9420
    scheduled = []
    monkeypatch.setattr(neighbourhoods, "run_later", lambda path, ids: scheduled.append(ids))
    db.session.commit()  # the move schedules the job (not run: recorded only)
    assert scheduled == [[unit.property_id]]

    page = client.get(f"/listings/{unit.id}")
    api = client.get(f"/api/v1/listings/{unit.id}").json

    assert page.status_code == 200
    assert "Walkability" in page.get_data(as_text=True)
    assert api["neighbourhood"]["walkability"]["score"] >= 0
    summary = _summary(unit.property_id)
    assert (summary.origin_lat, summary.computed_at) == (60.1674, stored_at)  # untouched
    assert scheduled[1:] == [[unit.property_id], [unit.property_id]]  # each read asks the job
