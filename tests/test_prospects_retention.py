"""Retention: idle anonymous visitors' records and old sign-in links are deleted."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import BrowsingSignal, Favourite, MagicLink, PriorityVersion
from portal.prospects.magic_links import issue_link
from portal.prospects.retention import purge_stale
from tests.factories import gen_prospect, gen_unit

pytestmark = pytest.mark.usefixtures("app")

NOW = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)


def test_idle_visitors_are_purged_and_active_ones_kept():
    """A visitor idle for 45 days loses everything; one still browsing keeps old favourites."""
    now = NOW
    old = now - timedelta(days=60)
    unit = gen_unit()
    prospect = gen_prospect()
    db.session.add_all(
        [
            Favourite(visitor_id="idle", unit_id=unit.id, created_at=old),
            PriorityVersion(visitor_id="idle", source="prospect", answers={}, created_at=old),
            Favourite(visitor_id="active", unit_id=unit.id, created_at=old),
            BrowsingSignal(visitor_id="active", kind="compare_used", created_at=now),
            Favourite(prospect_id=prospect.id, unit_id=unit.id, created_at=old),
        ]
    )
    issue_link("pia@example.com", secret_key="k", now=now - timedelta(days=3))
    issue_link("pia@example.com", secret_key="k", now=now)
    counts = purge_stale(now)
    assert counts == {"priority_version": 1, "favourite": 1, "browsing_signal": 0, "magic_link": 1}
    owners = db.session.execute(sa.select(Favourite.visitor_id, Favourite.prospect_id)).all()
    assert sorted(owners, key=str) == sorted([("active", None), (None, prospect.id)], key=str)
    assert db.session.scalar(sa.select(sa.func.count(MagicLink.id))) == 1


def test_purge_command(runner):
    """`flask prospects purge` reports what it deleted."""
    result = runner.invoke(args=["prospects", "purge", "--idle-days", "30"])
    assert result.exit_code == 0
    assert "favourite: 0" in result.output
