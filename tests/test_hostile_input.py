"""The hostile corpus (tests/hostile.py) against every form field and API parameter.

Form fields are read from the pages themselves: every GET route of the URL map (and the
links they show) is rendered for the visitor, prospect or admin it is for, and each form on
it is sent once per field and hostile string, the other fields keeping the page's values.
That every FlaskForm of the portal was reached is checked against the classes themselves.
API parameters and body fields are read from /api/v1/openapi.json. Nothing may answer 5xx,
and a text value that was accepted must read back as it was sent.
"""

import itertools
import re
from datetime import time
from urllib.parse import urlencode

import pytest
from markupsafe import escape
from wtforms import FileField, IntegerField, StringField

from portal.demo.followups import install_followups
from portal.destinations.store import add_prospect_destination
from portal.extensions import db
from portal.followups.enrolment import enrol
from portal.geo.commute import Destination
from portal.input_limits import BoundedForm
from portal.models import Prospect, Tour
from portal.models.base import utcnow
from tests.factories import (
    STAFF_PASSWORD,
    gen_agent,
    gen_media,
    gen_staff,
    gen_tour_type,
    gen_unit,
)
from tests.form_crawler import PageForm, client_for, crawl, field_names, portal_form_classes
from tests.hostile import CHOICE_STRINGS, JSON_VALUES, STRINGS
from tests.prospect_session import give_consent, sign_in
from tests.tours_helpers import iso, local_slot

# Forms that no page shows (a beacon posted by script), by class: where they are posted.
POSTED_BY_SCRIPT = {"SignalForm": "/me/signals"}
TEXT_INPUTS = {"text", "email", "tel", "search", "textarea", "url"}
CHOICE_INPUTS = {"select", "radio", "checkbox", "button", "hidden"}
REPEATED_FIELD_STRINGS = ["", "\x00", "9" * 5000, "24:00"]


# -- The world the crawl runs in ---------------------------------------------------------------


@pytest.fixture
def world(app):
    unit = gen_unit()
    # A community photo: the studio editor (crawled once, for the community) then shows
    # its media list, a FieldList of sub-forms.
    gen_media(unit).unit_id = None
    gen_tour_type(unit.property, "guided")
    gen_tour_type(unit.property, "self_guided", capacity=3)
    gen_agent(unit.property)
    gen_staff("agent")  # not a member yet: the property's agents page offers to add them
    for _ in range(12):  # a second page of listings, so that `page` is a link
        gen_unit(unit.property)
    admin = gen_staff("admin")
    gen_staff("agent")  # not yet a member: the members page offers the form to add them
    db.session.commit()
    anonymous, prospect, staff = app.test_client(), app.test_client(), app.test_client()
    sign_in(prospect, "pia@example.com")
    give_consent(prospect)
    # A saved place, so the listings page shows its "To your place" choice too.
    pia = db.session.scalar(db.select(Prospect).where(Prospect.email == "pia@example.com"))
    add_prospect_destination(
        pia.id, Destination("Work", "Mannerheimintie 5", 60.1694, 24.9402, "transit")
    )
    db.session.commit()
    assert staff.post(
        "/auth/login", data={"email": admin.email, "password": STAFF_PASSWORD}
    ).status_code in (302, 303)
    booked = prospect.post(
        "/api/v1/tours",
        json={
            "listing_id": unit.id,
            "type": "guided",
            "start": iso(local_slot(3, time(11))),
            "name": "Pia",
            "email": "pia@example.com",
        },
    )
    assert booked.status_code == 201
    tour = db.session.scalar(db.select(Tour))
    # Follow-ups: the community's plans and snippets (studio forms), and one message in
    # Pia's queue for the agent's review (the queue's forms).
    install_followups(unit.property, "review")
    enrol("completed", pia, unit.property_id, now=utcnow(), tour=tour)
    db.session.commit()
    ids = {
        "unit_id": unit.id,
        "property_id": unit.property_id,
        "tour_id": tour.id,
        "token": booked.json["token"],
        "prospect_id": pia.id,
    }
    clients = {"anonymous": anonymous, "prospect": prospect, "admin": staff}
    return clients, ids


def _corpus_for(name: str, kind: str) -> list[str]:
    """The strings for one field: all of them, but fewer for choices and for the copies of a
    field defined once for every weekday (``starts_1`` … ``starts_6`` repeat ``starts_0``)."""
    if re.search(r"_[1-9]$", name):
        return REPEATED_FIELD_STRINGS
    return CHOICE_STRINGS if kind in CHOICE_INPUTS else STRINGS


def _send(client, form: PageForm, values: dict):
    if form.method == "GET":
        return client.get(form.action, query_string=values)
    return client.post(form.action, data=values)


def _shows(client, response, form: PageForm, value: str) -> bool:
    wanted = str(escape(value.strip()))
    pages = [form.page]
    if response.status_code in (301, 302, 303) and response.headers.get("Location"):
        pages.insert(0, response.headers["Location"])
    return any(wanted in client.get(page).get_data(as_text=True) for page in pages)


def test_every_portal_form_checks_text_and_integers():
    """Every form with a text or integer field derives from BoundedForm (the shared rules)."""
    missing = [
        cls.__qualname__
        for cls in portal_form_classes()
        if not issubclass(cls, BoundedForm)
        and any(issubclass(k, StringField | IntegerField) for k in field_names(cls).values())
    ]
    assert missing == []


def test_the_hostile_corpus_against_every_form_field(app, world):
    """Each field of each form, sent each hostile string: never a 5xx; accepted text reads back."""
    clients, ids = world
    forms = crawl(app, clients, ids)
    reached = {name.split("-", 1)[-1] for form in forms for name in form.kinds}
    # A list of sub-forms renders as ``media-0-alt_text``: the list is reached with its rows.
    reached |= {
        name.split("-", 1)[0]
        for form in forms
        for name in form.kinds
        if re.match(r"^[a-z_]+-\d+-", name)
    }
    for cls in portal_form_classes():
        # File inputs carry bytes, not text: tests/test_studio_safety.py sends every bad
        # upload (wrong type, corrupt, oversized, decompression bomb) instead.
        names = {
            name for name, kind in field_names(cls).items() if not issubclass(kind, FileField)
        } - {"csrf_token", "submit"}
        if cls.__module__.startswith("portal.api."):
            # The API's query forms have no page: the API corpus below sends every hostile
            # value to each parameter the OpenAPI document lists (per_page included).
            continue
        if cls.__name__ in POSTED_BY_SCRIPT:
            forms.append(
                PageForm(
                    "/",
                    POSTED_BY_SCRIPT[cls.__name__],
                    "POST",
                    dict.fromkeys(names, ""),
                    dict.fromkeys(names, "text"),
                )
            )
            continue
        assert names <= reached, f"{cls.__name__}: no page shows {sorted(names - reached)}"
    sent, errors, not_echoed = 0, [], []
    for form in forms:
        client = client_for(clients, form.page)
        for name, kind in form.kinds.items():
            if name == "csrf_token":
                continue
            for value in _corpus_for(name, kind):
                response = _send(client, form, {**form.values, name: value})
                sent += 1
                if response.status_code >= 500:
                    errors.append((form.action, name, value[:40]))
                accepted = response.status_code in (301, 302, 303)
                echoes = accepted and kind in TEXT_INPUTS and value.strip()
                if echoes and not _shows(client, response, form, value):
                    not_echoed.append((form.action, name, value[:40]))
    fields = sum(len(form.kinds) for form in forms)
    print(f"hostile corpus: {sent} submissions, {fields} fields of {len(forms)} forms")
    assert errors == []
    assert not_echoed == []


# -- The API, from its document ---------------------------------------------------------------


def _valid(name: str, schema: dict, ids: dict, slot: str):
    """A value the document accepts for a parameter, to hold the others still."""
    schema = schema.get("anyOf", [schema])[0]
    if name in ("id", "listing_id"):
        return ids["unit_id"]
    if name == "token":
        return ids["token"]
    if "enum" in schema:
        return next(v for v in schema["enum"] if v)
    if schema.get("format") == "date-time" or name == "start":
        return slot
    known = {
        "from": "60.1674,24.9366",
        "to": "Mannerheimintie 5",
        "q": "Mannerheimintie 5",
        "lat": 60.1674,
        "lon": 24.9366,
        "email": "pia@example.com",
        "name": "Pia",
    }
    if name in known:
        return known[name]
    if schema.get("type") == "integer":
        return schema.get("minimum", 1)
    return None


def _header_safe(value) -> bool:
    return isinstance(value, str) and value.isprintable() and value.isascii()


def api_cases(document: dict) -> list[tuple[str, str, str, str, list]]:
    """(method, path, where, name, values) for every parameter and body field in the document."""
    cases = []
    components = document["components"]["schemas"]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for param in operation.get("parameters", []):
                cases.append((method, path, param["in"], param["name"], STRINGS))
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                schema = components[body["schema"]["$ref"].rsplit("/", 1)[-1]]
                for prop in schema.get("properties", {}):
                    cases.append((method, path, "body", prop, JSON_VALUES))
    return cases


def test_the_hostile_corpus_against_every_api_parameter(app, world):
    """Every parameter and body field of /api/v1/openapi.json, sent each hostile value."""
    clients, ids = world
    client = clients["anonymous"]
    document = client.get("/api/v1/openapi.json").json
    components = document["components"]["schemas"]
    slots = client.get(f"/api/v1/listings/{ids['unit_id']}/tour-slots?type=self_guided").json
    starts = itertools.cycle([slot["start_utc"] for slot in slots["slots"]])
    sent, errors, not_stored = 0, [], []
    for method, path, where, name, values in api_cases(document):
        operation = document["paths"][path][method]
        params = {p["name"]: p for p in operation.get("parameters", [])}
        body_ref = operation.get("requestBody", {}).get("content", {}).get("application/json")
        body_schema = components[body_ref["schema"]["$ref"].rsplit("/", 1)[-1]] if body_ref else {}
        for value in values:
            if where == "header" and not _header_safe(value):
                continue  # HTTP cannot carry it: the client refuses before the app sees it
            slot = next(starts)
            query, headers, body, path_values = {}, {}, None, {}
            for pname, param in params.items():
                good = _valid(pname, param["schema"], ids, slot)
                target = {"query": query, "header": headers, "path": path_values}[param["in"]]
                if good is not None and (param.get("required") or param["in"] == "path"):
                    target[pname] = good
            if body_schema:
                body = {
                    prop: _valid(prop, sub, ids, slot)
                    for prop, sub in body_schema["properties"].items()
                    if prop in body_schema.get("required", [])
                }
                if "type" in body:
                    body["type"] = "self_guided"
            if where == "body":
                body[name] = value
            else:
                {"query": query, "header": headers, "path": path_values}[where][name] = value
            url = "/api/v1" + path
            for pname, pvalue in path_values.items():
                url = url.replace("{" + pname + "}", str(pvalue).replace("/", "%2F"))
            if query:
                url += "?" + urlencode(query)
            response = client.open(url, method=method.upper(), headers=headers, json=body)
            sent += 1
            if response.status_code >= 500:
                errors.append((method, path, name, repr(value)[:60]))
            if response.status_code == 201 and where == "body" and isinstance(value, str):
                stored = client.get(f"/api/v1/tours/{response.json['token']}").json
                if name in stored and stored[name] not in (value, value.strip()):
                    not_stored.append((name, value[:40], stored[name][:40]))
    print(f"hostile corpus: {sent} API requests over {len(api_cases(document))} parameters")
    assert errors == []
    assert not_stored == []
