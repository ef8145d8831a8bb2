"""The tour as an iCalendar invitation (RFC 5546 iTIP), built with ``icalendar``.

The UID never changes for a tour and SEQUENCE grows with every change, so calendar
clients update the one event in place; a cancel is the same event with METHOD:CANCEL.
Times are written in UTC so no client can misplace them around a DST change.

Mail carries the iTIP invitation (REQUEST, CANCEL) with the visitor as attendee; the
"add to calendar" download is METHOD:PUBLISH, a plain copy of the event with no
attendee and no reply expected (RFC 5546 §3.2.1), so importing it never asks the
calendar to answer anyone.
"""

from datetime import datetime
from email.utils import parseaddr

from icalendar import Calendar, Event, vCalAddress, vText

from portal.models import Tour

PRODID = "-//Doorstep//Tours//EN"


def _status(tour: Tour) -> str:
    if not tour.is_active:
        return "CANCELLED"
    return "TENTATIVE" if tour.status == "requested" else "CONFIRMED"


def mail_method(tour: Tour) -> str:
    """The iTIP method of the invitation mailed about ``tour``."""
    return "REQUEST" if tour.is_active else "CANCEL"


def tour_event(
    tour: Tour, *, manage_url: str, organizer: str, now: datetime, attendee: bool = True
) -> Event:
    event = Event()
    event.add("uid", tour.uid)
    event.add("dtstamp", now)
    event.add("dtstart", tour.starts_at)
    event.add("dtend", tour.ends_at)
    event.add("sequence", tour.sequence)
    event.add("status", _status(tour))
    event.add("summary", f"{tour.tour_type.name}: {tour.property.name}")
    where = tour.video_room_url if tour.tour_type.kind == "video" else tour.property.address
    event.add("location", where)
    lines = [f"{tour.tour_type.name} at {tour.property.name}, {tour.property.address}."]
    if tour.video_room_url:
        lines.append(f"Join the video tour: {tour.video_room_url}")
    lines.append(f"Reschedule or cancel: {manage_url}")
    event.add("description", "\n".join(lines))
    event.add("url", manage_url)
    name, address = parseaddr(organizer)
    org = vCalAddress(f"mailto:{address}")
    org.params["cn"] = vText(name or "Doorstep")
    event.add("organizer", org)
    if attendee:
        visitor = vCalAddress(f"mailto:{tour.email}")
        visitor.params["cn"] = vText(tour.name)
        visitor.params["role"] = vText("REQ-PARTICIPANT")
        visitor.params["partstat"] = vText("ACCEPTED")
        event.add("attendee", visitor)
    return event


def tour_calendar(
    tour: Tour, *, manage_url: str, organizer: str, now: datetime, download: bool = False
) -> str:
    """The .ics text: in mail METHOD:REQUEST while the tour is on and METHOD:CANCEL once
    it is off; with ``download`` METHOD:PUBLISH (STATUS says whether it is cancelled)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH" if download else mail_method(tour))
    calendar.add_component(
        tour_event(tour, manage_url=manage_url, organizer=organizer, now=now, attendee=not download)
    )
    return calendar.to_ical().decode("utf-8")
