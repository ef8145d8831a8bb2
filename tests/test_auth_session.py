"""Staff sessions end on the server: sign-out and a new password end every copy; time runs out."""

from datetime import timedelta

import pytest

from portal.auth import services
from portal.auth.session import SessionLimits, staff_session_problem
from portal.extensions import db
from tests.conftest import FIXED_NOW
from tests.factories import STAFF_PASSWORD, gen_staff

LIMITS = SessionLimits(idle=timedelta(minutes=30), absolute=timedelta(hours=12))


@pytest.fixture
def staff(app):
    user = gen_staff("agent")
    db.session.commit()
    return user


def _copy_of(client, app):
    """A second browser holding a copy of ``client``'s session cookie."""
    thief = app.test_client()
    cookie = client.get_cookie("session", domain="portal.test")
    thief.set_cookie("session", cookie.value, domain="portal.test")
    return thief


def test_a_copied_cookie_works_until_sign_out(app, client, auth, staff):
    """A copied staff cookie opens the staff area, and stops working once its owner signs out."""
    auth.login(staff.email, STAFF_PASSWORD)
    thief = _copy_of(client, app)
    assert thief.get("/staff/").status_code == 200
    assert auth.logout().status_code == 303
    response = thief.get("/staff/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_sign_out_ends_the_sessions_on_other_devices(app, client, auth, staff):
    """Signing out in one browser signs the account out of its other sign-ins too."""
    other = app.test_client()
    other.post("/auth/login", data={"email": staff.email, "password": STAFF_PASSWORD})
    auth.login(staff.email, STAFF_PASSWORD)
    auth.logout()
    assert other.get("/staff/").status_code == 302


def test_signing_in_again_after_sign_out_works(client, auth, staff):
    """A fresh sign-in after signing out carries the new version and opens the staff area."""
    auth.login(staff.email, STAFF_PASSWORD)
    auth.logout()
    auth.login(staff.email, STAFF_PASSWORD)
    assert client.get("/staff/").status_code == 200


def test_a_new_password_ends_every_session(client, auth, runner, staff):
    """`flask staff set-password` ends the account's sessions; the new password signs in."""
    auth.login(staff.email, STAFF_PASSWORD)
    new_password = "a brand new long password"
    result = runner.invoke(args=["staff", "set-password", staff.email, "--password", new_password])
    assert result.exit_code == 0, result.output
    assert client.get("/staff/").status_code == 302
    assert auth.login(staff.email, STAFF_PASSWORD).status_code == 401
    assert auth.login(staff.email, new_password).status_code == 302


def test_a_too_short_new_password_is_refused(runner, staff):
    """The CLI keeps the 12-character rule and changes nothing."""
    version = staff.session_version
    result = runner.invoke(args=["staff", "set-password", staff.email, "--password", "short"])
    assert result.exit_code != 0
    assert "at least 12 characters" in result.output
    db.session.refresh(staff)
    assert staff.session_version == version


def test_deactivating_an_account_ends_its_session(client, auth, staff):
    """An account switched off is signed out at its next request."""
    auth.login(staff.email, STAFF_PASSWORD)
    staff.active = False
    db.session.commit()
    assert client.get("/staff/").status_code == 302


def test_an_idle_session_ends_after_thirty_minutes(client, auth, staff, fixed_clock, time_machine):
    """Each request keeps the session alive; thirty minutes without one ends it."""
    auth.login(staff.email, STAFF_PASSWORD)
    for _ in range(3):
        time_machine.shift(timedelta(minutes=25))
        assert client.get("/staff/").status_code == 200
    time_machine.shift(timedelta(minutes=31))
    response = client.get("/staff/")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "without activity" in page


def test_a_busy_session_still_ends_after_twelve_hours(
    client, auth, staff, fixed_clock, time_machine
):
    """However active, a staff session ends twelve hours after sign-in."""
    auth.login(staff.email, STAFF_PASSWORD)
    for _ in range(28):  # a request every 25 minutes: 11 h 40 min
        time_machine.shift(timedelta(minutes=25))
        assert client.get("/staff/").status_code == 200
    time_machine.shift(timedelta(minutes=25))
    assert client.get("/staff/").status_code == 302


@pytest.fixture
def hash_checks(monkeypatch) -> list[str]:
    """Every password hash the login checks, in order."""
    checked: list[str] = []
    real = services.check_password_hash

    def counting(pwhash: str, password: str) -> bool:
        checked.append(pwhash)
        return real(pwhash, password)

    monkeypatch.setattr(services, "check_password_hash", counting)
    return checked


@pytest.mark.parametrize("known", [True, False], ids=["known email", "unknown email"])
def test_every_login_checks_one_password_hash(auth, staff, hash_checks, known):
    """Known and unknown emails cost the same hash check, so timing tells no accounts apart."""
    email = staff.email if known else "nobody@doorstep.example"
    assert auth.login(email, "not the password").status_code == 401
    assert len(hash_checks) == 1
    assert (hash_checks[0] == staff.password_hash) is known


def test_an_inactive_account_also_checks_the_hash(auth, staff, hash_checks):
    """A deactivated account is refused after the same hash check as any other."""
    staff.active = False
    db.session.commit()
    assert auth.login(staff.email, STAFF_PASSWORD).status_code == 401
    assert len(hash_checks) == 1


def _stored(version=1, since=0, seen=0) -> dict:
    start = int(FIXED_NOW.timestamp())
    return {"v": version, "since": start + since, "seen": start + seen}


@pytest.mark.parametrize(
    ("stored", "after", "problem"),
    [
        (_stored(), timedelta(minutes=29), None),
        (_stored(), timedelta(minutes=30), "idle"),
        (_stored(seen=11 * 3600 + 45 * 60), timedelta(hours=11, minutes=59), None),
        (_stored(seen=11 * 3600 + 45 * 60), timedelta(hours=12), "expired"),
        (_stored(version=2), timedelta(0), "ended"),
        (None, timedelta(0), "ended"),
        ({"v": "1", "since": 0, "seen": 0}, timedelta(0), "ended"),
    ],
)
def test_staff_session_problem(app, stored, after, problem):
    """Version, idle time and age decide whether a stored staff session still holds."""
    user = gen_staff("agent")
    assert staff_session_problem(stored, user, FIXED_NOW + after, LIMITS) == problem
