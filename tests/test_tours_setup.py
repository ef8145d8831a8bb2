"""A property's tour set-up (``portal.tours.setup``) and the admin page that changes it."""

from datetime import date, time

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import OpeningHours, PropertyHoliday, TourType
from portal.models.base import utcnow
from portal.staff.forms import TourTypeForm
from portal.tours import setup as tour_setup
from portal.tours.free_slots import slots_by_day
from tests.factories import STAFF_PASSWORD, gen_staff, gen_tour_type, gen_unit
from tests.tours_helpers import local_slot

pytestmark = pytest.mark.usefixtures("fixed_clock")


@pytest.fixture
def setup(app, client, auth):
    unit = gen_unit()
    guided = gen_tour_type(unit.property, "guided")
    self_guided = gen_tour_type(unit.property, "self_guided", capacity=2)
    admin = gen_staff("admin")
    db.session.commit()
    auth.login(admin.email, STAFF_PASSWORD)
    return unit.property, guided, self_guided


def _type_data(tour_type: TourType, **changes) -> dict:
    values = {
        "duration_minutes": 45,
        "interval_minutes": 60,
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 15,
        "min_notice_minutes": 120,
        "horizon_days": 10,
        "capacity": 1,
        "confirmation": "instant",
        "hold_hours": 24,
        "active": "y",
    }
    values.update(changes)
    return {f"t{tour_type.id}-{k}": v for k, v in values.items()}


@pytest.mark.parametrize("role", ["agent", "marketer"])
def test_only_admins_reach_tour_settings(app, client, auth, role):
    """Agents and marketers are refused the tour set-up page."""
    unit = gen_unit()
    user = gen_staff(role)
    db.session.commit()
    auth.login(user.email, STAFF_PASSWORD)
    assert client.get(f"/staff/properties/{unit.property_id}/tours").status_code == 403


def test_admin_edits_a_tour_type(client, setup):
    """A valid tour type form stores its lengths and horizon."""
    prop, guided, _ = setup
    assert client.get(f"/staff/properties/{prop.id}/tours").status_code == 200
    url = f"/staff/properties/{prop.id}/tour-types/{guided.id}"
    assert client.post(url, data=_type_data(guided)).status_code == 303
    db.session.expire_all()
    assert (guided.duration_minutes, guided.interval_minutes, guided.horizon_days) == (45, 60, 10)


@pytest.mark.parametrize(
    "change", [{"duration_minutes": 40}, {"horizon_days": 0}, {"confirmation": "maybe"}]
)
def test_bad_tour_type_settings_are_refused(client, setup, change):
    """Off-grid lengths, impossible horizons and unknown modes store nothing."""
    prop, guided, _ = setup
    url = f"/staff/properties/{prop.id}/tour-types/{guided.id}"
    assert client.post(url, data=_type_data(guided, **change)).status_code == 422
    db.session.expire_all()
    assert guided.duration_minutes == 30


def test_confirmation_switch_applies_to_every_type(client, setup):
    """One switch sets the confirmation mode of every tour type of the property."""
    prop, guided, self_guided = setup
    url = f"/staff/properties/{prop.id}/confirmation"
    assert client.post(url, data={"confirmation": "staff"}).status_code == 303
    db.session.expire_all()
    assert {guided.confirmation, self_guided.confirmation} == {"staff"}


def test_opening_hours_and_holidays_shape_the_slots(client, setup):
    """New hours 10-11 leave two half-hour self-guided slots; a holiday leaves none."""
    prop, _, self_guided = setup
    data = {f"starts_{d}": "10:00" for d in range(7)} | {f"ends_{d}": "11:00" for d in range(7)}
    assert client.post(f"/staff/properties/{prop.id}/opening-hours", data=data).status_code == 303
    assert set(db.session.scalars(sa.select(OpeningHours.opens))) == {time(10)}
    day = local_slot(3).date()
    assert len(slots_by_day(self_guided, day, day, utcnow())[day]) == 2
    holiday = {"day": day.isoformat(), "name": "Local feast"}
    assert client.post(f"/staff/properties/{prop.id}/holidays", data=holiday).status_code == 303
    assert client.post(f"/staff/properties/{prop.id}/holidays", data=holiday).status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(PropertyHoliday.id))) == 1
    assert slots_by_day(self_guided, day, day, utcnow())[day] == []


def test_the_admin_form_edits_exactly_the_tour_type_settings(app):
    """Every field of the tour type form is a setting the service stores, and no other."""
    fields = {name for name in TourTypeForm(meta={"csrf": False})._fields}
    assert fields == set(tour_setup.TOUR_TYPE_SETTINGS)


def test_only_offered_tour_types_are_bookable(app):
    """A tour type switched off stays in the admin's list but is no longer offered."""
    unit = gen_unit()
    guided = gen_tour_type(unit.property, "guided")
    video = gen_tour_type(unit.property, "video", active=False)
    db.session.commit()
    assert tour_setup.tour_types_for(unit.property_id) == [guided]
    assert tour_setup.tour_type_for(unit, "video") is None
    assert tour_setup.all_tour_types(unit.property_id) == [guided, video]


def test_setup_changes_flush_and_leave_the_commit_to_the_caller(app):
    """Opening hours, confirmation and holidays written by the service vanish on rollback."""
    unit = gen_unit()
    guided = gen_tour_type(unit.property, "guided")
    db.session.commit()
    prop_id = unit.property_id
    tour_setup.replace_opening_hours(prop_id, {0: (time(12), time(13))})
    tour_setup.set_confirmation(prop_id, "visitor")
    tour_setup.add_holiday(prop_id, date(2026, 12, 24), " Christmas Eve ")
    assert tour_setup.opening_windows(prop_id) == [(0, time(12), time(13))]
    assert [h.name for h in tour_setup.holidays_of(prop_id)] == ["Christmas Eve"]
    db.session.rollback()
    assert len(tour_setup.opening_windows(prop_id)) == 7
    assert tour_setup.holidays_of(prop_id) == []
    assert guided.confirmation == "instant"


def test_a_day_is_a_holiday_once(app):
    """A second holiday on the same day is refused with a reason, the first one kept."""
    unit = gen_unit()
    db.session.commit()
    first = tour_setup.add_holiday(unit.property_id, date(2026, 12, 6), "Independence Day")
    with pytest.raises(tour_setup.HolidayExists, match="already a holiday"):
        tour_setup.add_holiday(unit.property_id, date(2026, 12, 6))
    assert tour_setup.property_holiday(unit.property_id, first.id) is first
    assert tour_setup.property_holiday(unit.property_id + 1, first.id) is None
