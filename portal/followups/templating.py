"""Template helpers of the follow-up pages: a stored instant as a datetime-local value."""

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask


def local_input(value: datetime, tz_name: str) -> str:
    """'2026-11-24T09:30' in ``tz_name``: the value of an <input type="datetime-local">."""
    return f"{value.astimezone(ZoneInfo(tz_name)):%Y-%m-%dT%H:%M}"


def register(app: Flask) -> None:
    app.add_template_filter(local_input)
