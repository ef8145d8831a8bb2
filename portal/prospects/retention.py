"""Keep no more than needed: anonymous visitors' records and spent sign-in links expire."""

from datetime import datetime, timedelta

import sqlalchemy as sa

from portal.extensions import db
from portal.models import BrowsingSignal, Favourite, MagicLink, PriorityVersion

VISITOR_IDLE = timedelta(days=45)  # the visitor cookie lives 31 days; then a grace period
LINK_KEEP = timedelta(days=1)
_VISITOR_TABLES = (PriorityVersion, Favourite, BrowsingSignal)


def purge_stale(now: datetime, *, visitor_idle: timedelta = VISITOR_IDLE) -> dict[str, int]:
    """Delete the records of visitors idle for ``visitor_idle`` and old links (flushes).

    A visitor counts as active if any of their rows is recent, so a favourite saved
    long ago survives while its visitor keeps browsing.
    """
    cutoff = now - visitor_idle
    active = sa.union(
        *(
            sa.select(model.visitor_id).where(
                model.visitor_id.is_not(None), model.created_at >= cutoff
            )
            for model in _VISITOR_TABLES
        )
    ).subquery()
    counts = {}
    for model in _VISITOR_TABLES:
        result = db.session.execute(
            sa.delete(model).where(
                model.visitor_id.is_not(None),
                model.created_at < cutoff,
                model.visitor_id.not_in(sa.select(active.c.visitor_id)),
            )
        )
        counts[model.__tablename__] = result.rowcount
    links = db.session.execute(sa.delete(MagicLink).where(MagicLink.expires_at < now - LINK_KEEP))
    counts["magic_link"] = links.rowcount
    db.session.flush()
    return counts
