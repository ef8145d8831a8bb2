"""What the staff search tests share: an admin who sees everybody, and the emails found."""

import pytest

from portal.extensions import db
from portal.models.base import utcnow
from portal.prospects.staff_list import ProspectFilters, find_prospects
from tests.factories import gen_staff


@pytest.fixture
def admin(app):
    staff = gen_staff("admin")
    db.session.commit()
    return staff


def found(staff, q: str, **kwargs) -> list[str]:
    """The emails on the first page of the prospects list searched for ``q``."""
    page = find_prospects(staff, ProspectFilters(q=q), now=utcnow(), **kwargs)
    return [row.prospect.email for row in page.rows]
