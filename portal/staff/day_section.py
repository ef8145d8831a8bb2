"""The tours part of the agent's day, rendered once per answer and kept per process.

The part shows nothing but the rows ``tours.agent_day.day_rows`` reads (every column
a card shows, the tour's version among them), how ``group_day`` lays them out at
this moment, whether cards name the agent, and the check-in forms' CSRF token. So
its HTML is kept under the rows themselves and reused until ``regroup_at``, the
next instant at which the same rows would be laid out differently (a button opens
or closes, a zone's day turns). Any change to a tour, its home or its agent changes
the rows, hence the key: the page is never stale. The query still runs on every
request; rendering fifty cards, most of the page's time, does not.
"""

from datetime import datetime

import sqlalchemy as sa
from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from portal.kept import Kept
from portal.tours.agent_day import DAYS_AHEAD, group_day, regroup_at

# A few hundred agents' and admins' views, a few tens of kB each at most.
MAX_SECTIONS = 512
_EXTENSION = "day_sections"


def day_section(rows: list[sa.Row], now: datetime, *, show_agent: bool) -> Markup:
    """The day's tours from ``rows`` as HTML (``show_agent``: cards name the agent)."""
    # Plain tuples: comparing Row objects field by field was a fifth of the lookup.
    key = (tuple(map(tuple, rows)), show_agent, generate_csrf(), request.script_root)
    kept: Kept = current_app.extensions[_EXTENSION]
    found = kept.peek(key)
    if found is not None and (found[0] is None or now < found[0]):
        return found[1]
    html = Markup(  # noqa: S704 - autoescaped template output
        render_template(
            "staff/_day.html",
            day=group_day(rows, now),
            show_agent=show_agent,
            days_ahead=DAYS_AHEAD,
        )
    )
    kept.put(key, (regroup_at(rows, now), html))
    return html


def register(app: Flask) -> None:
    app.extensions[_EXTENSION] = Kept(MAX_SECTIONS)
