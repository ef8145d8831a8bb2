"""Every page the browser journeys visit is valid HTML for the Nu HTML Checker (vnu.jar)."""

import re
import shutil

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import OutboxEmail, Property
from tests import vnu

pytestmark = pytest.mark.skipif(
    shutil.which("java") is None or (not vnu.JAR.exists() and shutil.which("npm") is None),
    reason="NU HTML CHECK NOT RUN: it needs java and the vnu jar (`make vnu`, or npm to fetch it)",
)


def _link(pattern: str) -> str:
    db.session.expire_all()
    for text in db.session.scalars(
        sa.select(OutboxEmail.text_body).order_by(OutboxEmail.id.desc())
    ):
        match = re.search(r"https?://[^/\s]+(" + pattern + r")", text)
        if match:
            return match.group(1)
    raise AssertionError(pattern)


def _journey_pages(client, demo) -> dict[str, str]:
    """Each screen of the journeys, as served, by a name."""
    pages: dict[str, str] = {}

    def get(name: str, url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        pages[name] = response.get_data(as_text=True)

    get("home", "/")
    get("listings", "/listings/")
    get("listings filtered", "/listings/?bedrooms=2&sort=rent")
    unit_id = client.get("/api/v1/listings").json["items"][0]["id"]
    get("listing", f"/listings/{unit_id}")
    get("places", "/commute/")
    client.post("/commute/", data={"label": "Work", "address": "Mannerheimintie 5", "mode": "walk"})
    get("places with one", "/commute/")
    get("listings by commute", "/listings/?sort=commute")
    get("priorities", "/me/priorities")
    get("consent", "/me/consent")
    get("picker", f"/tours/book/{unit_id}")
    picker = client.get(f"/tours/book/{unit_id}?type=guided").get_data(as_text=True)
    pages["picker with days"] = picker
    details_url = re.search(r'href="(/tours/book/\d+/details\?[^"]+)"', picker).group(1)
    get("details", details_url.replace("&amp;", "&"))
    start = re.search(r"start=([^&\"]+)", details_url).group(1).replace("%3A", ":")
    booked = client.post(
        f"/tours/book/{unit_id}/details",
        data={
            "type": "guided",
            "start": start,
            "name": "Pia",
            "email": "pia@example.com",
            "phone": "",
            "contact_channel": "email",
        },
    )
    assert booked.status_code in (302, 303), booked.status_code
    get("about you", booked.headers["Location"])
    manage = _link(r"/tours/m/[A-Za-z0-9_-]+")
    get("manage", manage)
    get("reschedule", manage + "/reschedule")
    client.post("/me/sign-in", data={"email": "mia@example.com"})
    get("sign-in", "/me/sign-in")
    get("confirm sign-in", _link(r"/me/sign-in/[^\s/]+"))
    client.post(_link(r"/me/sign-in/[^\s/]+"))
    get("account", "/me/")
    get("my data", "/me/data")
    get("delete", "/me/delete")
    client.post("/auth/logout")
    get("staff sign-in", "/auth/login")
    client.post(
        "/auth/login",
        data={"email": "admin@doorstep.example", "password": demo.staff["admin@doorstep.example"]},
    )
    get("staff home", "/staff/")
    get("staff tours", "/staff/tours")
    get("working hours", "/staff/availability")
    prop_id = db.session.scalar(sa.select(Property.id).order_by(Property.id))
    get("tour settings", f"/staff/properties/{prop_id}/tours")
    return pages


def test_journey_pages_have_no_nu_errors(client, demo, geo_region, tmp_path):
    """0 errors from the Nu checker over every page the journeys visit."""
    pages = _journey_pages(client, demo)
    files = []
    for i, (name, html) in enumerate(pages.items()):
        path = tmp_path / f"{i:02d}-{re.sub(r'[^a-z]+', '-', name)}.html"
        path.write_text(html, encoding="utf-8")
        files.append(path)
    errors = vnu.check(files)
    summary = [f"{e['url'].rsplit('/', 1)[-1]}:{e.get('lastLine')}: {e['message']}" for e in errors]
    assert not summary, "\n".join(summary)
