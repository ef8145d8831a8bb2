"""Hostile content and roles: no script reaches a page, only marketers reach the studio.

Uploads are tested in test_studio_uploads.py.
"""

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import ContentRevision
from portal.studio.sanitise import render_markdown
from tests.factories import gen_property, gen_unit
from tests.prospect_session import sign_in
from tests.studio_helpers import editor_fields, sign_in_marketer

XSS_CORPUS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)><circle r=5></circle></svg>",
    '<p style="width: expression(alert(1))">css</p>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<iframe src="https://evil.example"></iframe>',
    "<body onload=alert(1)>",
    '<div onmouseover="alert(1)">hover</div>',
    "<math><mtext><img src=x onerror=alert(1)></mtext></math>",
    '<a href="&#106;avascript:alert(1)">entity</a>',
    '<object data="javascript:alert(1)"></object>',
    '<form action="javascript:alert(1)"><button>go</button></form>',
]
EXECUTABLE = re.compile(
    r"<script(?![^>]*application/ld\+json)|\son[a-z]+\s*=|javascript:|<iframe[^>]*evil|"
    r"expression\(|<svg|<object|<style",
    re.IGNORECASE,
)


def _body(html: str) -> str:
    # Our own scripts are in <head>; the content lives in the body.
    return html.split("<body", 1)[1]


@pytest.mark.parametrize("payload", XSS_CORPUS)
def test_the_sanitiser_leaves_nothing_executable(payload):
    """Each payload comes out of the Markdown sanitiser without script, handlers or bad URLs."""
    rendered = render_markdown(f"Nice flat. {payload} Really.")
    assert not EXECUTABLE.search(str(rendered.html)), rendered.html


def test_the_sanitiser_reports_what_it_removed():
    """The preview can say what went: the script element and the event handler."""
    removed = render_markdown("<script>x</script><img src=x onerror=alert(1)>").removed
    assert "the <script> element" in removed
    assert "the onerror attribute on <img>" in removed


def test_no_payload_reaches_the_public_page_or_the_preview(client, auth):
    """All payloads published together: the listing and the preview carry no executable script."""
    prop = gen_property()
    unit = gen_unit(prop)
    db.session.commit()
    sign_in_marketer(client, auth)
    text = "\n\n".join(XSS_CORPUS)
    fields = editor_fields(
        "property", prop.id, description=text, highlights=text, neighbourhood=text, action="publish"
    )
    preview = client.post(
        f"/studio/content/property/{prop.id}/preview", data=fields, headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert "Removed when published" in preview
    preview_listing = preview.split('<article class="listing-detail">', 1)[1]
    assert not EXECUTABLE.search(preview_listing)
    assert client.post(f"/studio/content/property/{prop.id}", data=fields).status_code == 303
    client.post(
        f"/studio/content/unit/{unit.id}",
        data=editor_fields("unit", unit.id, description=text, action="publish"),
    )
    page = client.get(f"/listings/{unit.id}").get_data(as_text=True)
    assert not EXECUTABLE.search(_body(page))
    assert "click" in page  # the link text stays, only the address went


def test_stored_html_is_cleaned_even_when_written_directly(app):
    """The SanitisedHTML column cleans whatever sets it, not only the studio."""
    prop = gen_property()
    prop.description_html = "<p onclick=alert(1)>hi</p><script>alert(1)</script>"
    db.session.commit()
    db.session.expire_all()
    assert str(db.session.get(type(prop), prop.id).description_html) == "<p>hi</p>"


def test_templates_never_mark_text_safe():
    """No template uses |safe or Markup on its own: markup comes from SanitisedHTML only."""
    templates = Path(__file__).resolve().parent.parent / "portal" / "templates"
    offenders = [
        p.name
        for p in templates.rglob("*.html")
        if "| safe" in p.read_text() or "|safe" in p.read_text()
    ]
    assert offenders == []


# -- Roles ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/studio/", "/studio/content", "/studio/content/property/1"])
def test_agents_and_prospects_cannot_reach_the_studio(client, auth, path):
    """Agents get 403, prospects 403, visitors the sign-in page."""
    gen_property()
    db.session.commit()
    assert client.get(path).status_code == 302
    sign_in_marketer(client, auth, role="agent")
    assert client.get(path).status_code == 403
    auth.logout()
    sign_in(client, "pia@example.com")
    assert client.get(path).status_code == 403


def test_an_agent_cannot_publish(client, auth):
    """A POST from an agent changes nothing."""
    prop = gen_property()
    db.session.commit()
    fields = editor_fields("property", prop.id, description="Agent text", action="publish")
    sign_in_marketer(client, auth, role="agent")
    assert client.post(f"/studio/content/property/{prop.id}", data=fields).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(ContentRevision.id))) == 0


# -- Search engines ---------------------------------------------------------------------


def test_listing_page_carries_apartment_json_ld(client):
    """The detail page has schema.org Apartment with its Offer and Place, on the base URL."""
    import json

    unit = gen_unit()
    db.session.commit()
    html = client.get(f"/listings/{unit.id}").get_data(as_text=True)
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(block)
    assert data["@type"] == "Apartment"
    assert data["url"] == f"http://portal.test/listings/{unit.id}"
    assert data["offers"]["@type"] == "Offer"
    assert data["offers"]["price"] == unit.rent_eur
    assert data["containedInPlace"]["@type"] == "Place"


def test_sitemap_lists_listed_homes_only(client):
    """/sitemap.xml lists every listed home's absolute URL, not leased ones."""
    listed = gen_unit()
    leased = gen_unit(status="leased")
    db.session.commit()
    response = client.get("/sitemap.xml")
    xml = response.get_data(as_text=True)
    assert response.headers["Content-Type"].startswith("application/xml")
    assert f"<loc>http://portal.test/listings/{listed.id}</loc>" in xml
    assert f"/listings/{leased.id}<" not in xml


def _studio_routes() -> list[tuple[str, str]]:
    from portal import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/studio"):
            continue
        path = re.sub(r"<any\(([a-z_]+)[^>]*>", r"\1", rule.rule)
        path = re.sub(r"<(?:int:)?[a-z_]+>", "1", path)
        routes += [(m, path) for m in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return routes


@pytest.mark.parametrize(("method", "path"), _studio_routes())
def test_every_studio_route_is_for_marketers_only(client, auth, method, path):
    """Every studio route, read from the URL map: visitors to sign-in, prospects and agents 403."""
    gen_unit()
    db.session.commit()
    first = client.open(path, method=method, data={})
    assert first.status_code == 302
    assert "/auth/login" in first.headers["Location"]
    sign_in(client, "pia@example.com")
    assert client.open(path, method=method, data={}).status_code == 403
    sign_in_marketer(client, auth, role="agent")
    assert client.open(path, method=method, data={}).status_code == 403
