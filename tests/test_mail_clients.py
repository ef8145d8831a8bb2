"""Every kind of email as mail clients receive it (issue 15): Date, a stable Message-ID,
calendar parts with charset and method, strict parsing, and HTML within the clients' limits.

The emails are produced the way the product produces them (booking, request, reschedule,
cancel, expiry, reminder, sign-in, and a message nobody asked for), delivered by the real
sender to a real SMTP server on loopback, and read back from the bytes that arrived.
"""

from datetime import timedelta
from email import message_from_bytes, policy
from email.utils import parseaddr

import pytest
import vobject
from icalendar import Calendar

from portal.extensions import db
from portal.mail.outbox import queue_email
from portal.mail.sender import deliver_due
from portal.mail.smtp import SmtpTransport
from portal.models import OutboxEmail, Tour
from portal.models.base import utcnow
from portal.prospects.contact_links import email_footer
from portal.prospects.magic_links import send_sign_in_link
from portal.tours import notices
from portal.tours.booking import cancel_tour, release_expired_requests, reschedule_tour
from portal.tours.tour_settings import TourSettings
from tests.factories import gen_agent, gen_property, gen_prospect, gen_tour_type, gen_unit
from tests.mail_html import mail_client_problems, preheader
from tests.mail_server import smtp_mailbox
from tests.tours_helpers import book_and_commit, local_slot

pytestmark = pytest.mark.usefixtures("fixed_clock")
SECRET = "test-only-not-secret"
STREET = "Töölönlahdenkatu"  # UTF-8 in the calendar's LOCATION

# kind → the iTIP method its calendar parts must say (None: no calendar)
EXPECTED_METHOD = {
    "tour_confirmed": "REQUEST",
    "tour_reminder": "REQUEST",
    "tour_rescheduled": "REQUEST",
    "tour_cancelled": "CANCEL",
    "tour_requested": "REQUEST",
    "tour_expired": "CANCEL",
    "prospect_sign_in": None,
    "news": None,
}


@pytest.fixture
def mailbox():
    with smtp_mailbox() as (box, config):
        box.config = config
        yield box


def _send(mailbox, now=None):
    transport = SmtpTransport(mailbox.config["MAIL_SMTP_HOST"], mailbox.config["MAIL_SMTP_PORT"])
    return deliver_due(now or utcnow(), transport=transport)


@pytest.fixture
def every_kind(app):
    """One outbox row of every kind of email the portal sends; {kind: row}."""
    app.config["MAIL_FROM"] = "Doorstep Homes <hello@homes.example.com>"
    prop = gen_property(street=STREET, name="Töölö Bay")
    unit = gen_unit(prop)
    gen_agent(prop)
    direct = gen_tour_type(prop, "guided")
    annex = gen_property(street=STREET, name="Töölö Bay")  # requests wait for staff there
    gen_agent(annex)
    reviewed = gen_tour_type(annex, "guided", confirmation="staff", hold_hours=1)
    db.session.commit()
    tour = book_and_commit(direct, local_slot(2), email="pia@example.com")
    notices.queue(tour, "reminder", key="24h")
    reschedule_tour(tour, local_slot(3), now=utcnow(), settings=TourSettings())
    db.session.commit()
    cancel_tour(tour, now=utcnow())
    db.session.commit()
    book_and_commit(reviewed, local_slot(4), email="olli@example.com")
    release_expired_requests(utcnow() + timedelta(hours=2))
    send_sign_in_link(
        "pia@example.com", secret_key=SECRET, link_url=lambda t: f"http://portal.test/me/in/{t}"
    )
    prospect = gen_prospect(email="aino@example.com")
    url = email_footer(prospect, secret_key=SECRET).unsubscribe_url
    queue_email(
        to=prospect.email,
        subject="Kahvila Töölö opened near you",
        text=f"A new café.\nUnsubscribe: {url}",
        html=f'<p>A new café.</p><p><a href="{url}">Unsubscribe</a></p>',
        kind="news",
        transactional=False,
        unsubscribe_url=url,
    )
    db.session.commit()
    rows = db.session.scalars(db.select(OutboxEmail).order_by(OutboxEmail.id)).all()
    assert unit.id
    return {row.kind: row for row in rows}


def _arrived(mailbox, row: OutboxEmail) -> bytes:
    [raw] = [
        r
        for r, m in zip(mailbox.raw, mailbox.messages, strict=True)
        if m["Message-ID"] == row.message_id
    ]
    return raw


def test_the_fixture_covers_every_kind(every_kind):
    """Every kind of email the portal sends is checked below."""
    assert set(every_kind) == set(EXPECTED_METHOD)


@pytest.mark.parametrize("kind", sorted(EXPECTED_METHOD))
def test_each_email_parses_strictly_with_date_and_its_stored_message_id(every_kind, mailbox, kind):
    """The bytes that arrive parse under the strict policy, with no defect in any part, a
    Date of the moment of sending and the Message-ID stored with the row, in our domain."""
    before = utcnow()
    _send(mailbox)
    row = every_kind[kind]
    message = message_from_bytes(_arrived(mailbox, row), policy=policy.strict)
    assert all(not part.defects for part in message.walk())
    assert message["Message-ID"] == row.message_id
    assert row.message_id.endswith("@homes.example.com>")
    assert before - timedelta(seconds=1) <= message["Date"].datetime <= utcnow()
    assert parseaddr(message["From"])[1] == "hello@homes.example.com"
    assert message["Subject"] == row.subject
    assert message.get_body(("plain",)).get_content_charset() == "utf-8"
    assert message.get_body(("html",)).get_content_charset() == "utf-8"


@pytest.mark.parametrize("kind", [k for k, method in EXPECTED_METHOD.items() if method])
def test_the_calendar_is_inline_and_attached_with_charset_and_method(every_kind, mailbox, kind):
    """text/calendar; charset=utf-8; method=… inside multipart/alternative and as tour.ics."""
    _send(mailbox)
    message = message_from_bytes(_arrived(mailbox, every_kind[kind]), policy=policy.strict)
    alternative = next(p for p in message.walk() if p.get_content_type() == "multipart/alternative")
    inline = [p for p in alternative.iter_parts() if p.get_content_type() == "text/calendar"]
    attached = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(inline) == 1
    assert len(attached) == 1
    assert attached[0].get_filename() == "tour.ics"
    for part in (inline[0], attached[0]):
        assert part.get_content_charset() == "utf-8"
        assert part.get_param("method") == EXPECTED_METHOD[kind]
        ics = part.get_content()
        assert f"METHOD:{EXPECTED_METHOD[kind]}" in ics
        assert STREET in str(Calendar.from_ical(ics).walk("VEVENT")[0]["LOCATION"])
    assert inline[0].get_content() == attached[0].get_content()


def test_a_retried_send_carries_the_same_message_id_and_a_new_date(every_kind, mailbox):
    """451 on the first try: the retry hours later has the row's Message-ID, dated then."""
    row = every_kind["tour_confirmed"]
    mailbox.refuse("pia@example.com", "451 4.7.1 greylisted, try again later")
    first = _send(mailbox)
    assert first.retry == 1
    db.session.refresh(row)
    assert row.status == "queued"
    later = utcnow() + timedelta(hours=2)
    assert _send(mailbox, later).sent >= 1
    message = message_from_bytes(_arrived(mailbox, row), policy=policy.strict)
    assert message["Message-ID"] == row.message_id
    assert abs(message["Date"].datetime - later) < timedelta(seconds=5)


def test_only_the_message_nobody_asked_for_carries_one_click_unsubscribe(every_kind, mailbox):
    """RFC 8058 headers on the unasked message, with an http(s) link to its token."""
    _send(mailbox)
    for kind, row in every_kind.items():
        message = message_from_bytes(_arrived(mailbox, row), policy=policy.strict)
        if kind == "news":
            assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            assert message["List-Unsubscribe"].startswith("<http://portal.test/me/unsubscribe/")
        else:
            assert message["List-Unsubscribe"] is None


@pytest.mark.parametrize("kind", sorted(EXPECTED_METHOD))
def test_the_html_stays_within_mail_client_limits(every_kind, kind):
    """Inline-safe CSS only, no script or style blocks, alt on images, ≤ 600 px, < 100 KB,
    absolute links."""
    assert mail_client_problems(every_kind[kind].html_body) == []


@pytest.mark.parametrize("kind", [k for k in EXPECTED_METHOD if k != "news"])
def test_every_layout_email_has_a_preheader(every_kind, kind):
    """The inbox preview line is the email's own summary, not its first words of body."""
    text = preheader(every_kind[kind].html_body)
    assert len(text) >= 20
    if kind.startswith("tour_"):
        assert "Töölö Bay" in text


def test_the_checker_catches_what_mail_clients_break():
    """The limits checker itself: each kind of problem is reported."""
    bad = (
        '<style>p{}</style><script>x()</script><div style="display:flex;position:absolute">'
        '<img src="/a.png"><a href="/relative" onclick="x()">x</a>'
        '<table width="800" style="background:url(x.png)"></table></div>'
    )
    problems = "\n".join(mail_client_problems(bad + "x" * 110_000))
    for expected in (
        "<style>",
        "<script>",
        "position",
        "display:flex",
        "alt",
        "absolute",
        "onclick",
        "800",
        "url(",
        "102 KB",
    ):
        assert expected in problems


def test_the_downloaded_calendar_file_is_publish(every_kind, client):
    """'Add to calendar' is METHOD:PUBLISH with charset and method in its type, no
    attendee, and the same UID as the mailed invitation."""
    tour = db.session.scalar(db.select(Tour).where(Tour.email == "pia@example.com"))
    response = client.get(f"/tours/m/{tour.token}/tour.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.mimetype_params == {"charset": "utf-8", "method": "PUBLISH"}
    calendar = Calendar.from_ical(response.data)
    assert calendar["METHOD"] == "PUBLISH"
    event = calendar.walk("VEVENT")[0]
    assert "ATTENDEE" not in event
    assert str(event["UID"]) == tour.uid
    assert str(event["STATUS"]) == "CANCELLED"


def _second_parser(ics: str):
    calendar = vobject.readOne(ics)
    return calendar, calendar.vevent


@pytest.mark.parametrize("kind", ["tour_confirmed", "tour_rescheduled", "tour_cancelled"])
def test_a_second_parser_reads_the_mailed_calendar_alike(every_kind, kind):
    """vobject reads the mailed .ics with the same method, UID, sequence, UTC start and
    UTF-8 location as icalendar."""
    ics = every_kind[kind].attachments[0]["content"]
    reference = Calendar.from_ical(ics)
    event = reference.walk("VEVENT")[0]
    calendar, vevent = _second_parser(ics)
    assert calendar.method.value == str(reference["METHOD"]) == EXPECTED_METHOD[kind]
    assert vevent.uid.value == str(event["UID"])
    assert int(vevent.sequence.value) == event["SEQUENCE"]
    assert vevent.dtstart.value == event.decoded("DTSTART")
    assert vevent.dtstart.value.utcoffset() == timedelta(0)
    assert STREET in vevent.location.value


def test_a_second_parser_reads_the_download_alike(every_kind, client):
    """vobject reads the downloaded PUBLISH file: same UID, no attendee."""
    row = every_kind["tour_confirmed"]
    uid = Calendar.from_ical(row.attachments[0]["content"]).walk("VEVENT")[0]["UID"]
    tour = db.session.scalar(db.select(Tour).where(Tour.uid == str(uid)))
    calendar, vevent = _second_parser(
        client.get(f"/tours/m/{tour.token}/tour.ics").get_data(as_text=True)
    )
    assert calendar.method.value == "PUBLISH"
    assert vevent.uid.value == tour.uid
    assert not hasattr(vevent, "attendee")
