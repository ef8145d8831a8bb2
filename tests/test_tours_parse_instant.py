"""A slot start typed or sent by a client is an aware instant, or no answer at all (never a 500)."""

from datetime import UTC, datetime

import pytest

from portal.tours.forms import parse_instant


def test_an_instant_with_its_offset_becomes_utc():
    """The offset is applied; ``Z`` works too."""
    assert parse_instant("2026-12-01T12:00:00+02:00") == datetime(2026, 12, 1, 10, tzinfo=UTC)
    assert parse_instant("2026-12-01T10:00:00Z") == datetime(2026, 12, 1, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "2026-12-01T10:00:00",  # no offset: which 10:00?
        "not a time",
        "0001-01-01T00:00:00+01:00",  # before the first UTC instant there is
        "9999-12-31T23:59:59-01:00",  # after the last
        "2026-12-01T10:00:00+02:00" + " " * 40,
    ],
)
def test_anything_else_is_no_instant(value):
    """A naive, malformed, overlong or out-of-calendar value answers None."""
    assert parse_instant(value) is None
