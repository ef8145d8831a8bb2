"""Booking and manage-link POSTs are rate-limited (limits are off elsewhere in tests)."""

import pytest

from portal.extensions import db
from tests.factories import gen_agent, gen_tour_type, gen_unit
from tests.tours_helpers import booking_data, local_slot

pytestmark = pytest.mark.usefixtures("fixed_clock")


def test_booking_posts_are_rate_limited(app_factory):
    """The 21st booking POST and the 11th manage POST in a minute answer 429."""
    limited = app_factory(RATELIMIT_ENABLED=True)
    with limited.app_context():
        unit = gen_unit()
        gen_tour_type(unit.property, "guided")
        gen_agent(unit.property)
        db.session.commit()
        client = limited.test_client()
        data = booking_data("guided", local_slot(2), email="broken")
        codes = [
            client.post(f"/tours/book/{unit.id}/details", data=data).status_code for _ in range(21)
        ]
        assert codes[:20] == [422] * 20
        assert codes[20] == 429
        manage = [client.post("/tours/m/" + "a" * 22 + "/cancel").status_code for _ in range(11)]
        assert manage[:10] == [404] * 10
        assert manage[10] == 429
