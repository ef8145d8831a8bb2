"""The insights page and its CSV exports: marketers' aggregates, no contact data, same numbers."""

import csv
import io
import re
from html.parser import HTMLParser

import pytest

from portal.extensions import db
from portal.studio.insights_tables import TABLES
from tests.factories import STAFF_PASSWORD, gen_staff
from tests.insights_data import build_world
from tests.prospect_session import sign_in


class _Tables(HTMLParser):
    """Reads every ``<table data-table=...>`` on a page into rows of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._table = None
        self._row = None
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-table" in attrs:
            self._table = self.tables.setdefault(attrs["data-table"], [])
        elif self._table is not None and tag == "tr":
            self._row = []
        elif self._row is not None and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def page_tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


@pytest.fixture
def world(app, fixed_clock):
    built = build_world(fixed_clock)
    db.session.commit()
    return built


@pytest.fixture
def marketer(client, auth):
    user = gen_staff("marketer")
    db.session.commit()
    auth.login(user.email, STAFF_PASSWORD)
    return user


def test_marketer_sees_the_funnel_with_its_definitions(client, world, marketer):
    """The default view: every table, charts with text alternatives, the definitions."""
    response = client.get("/studio/insights")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    tables = page_tables(html)
    assert set(tables) == set(TABLES)
    funnel = {row[0]: row[1:6] for row in tables["funnel"][1:]}
    assert funnel["Alpha House"] == ["4", "3", "2", "1", "0"]
    assert funnel["All"] == ["7", "5", "3", "2", "2"]
    assert html.count('role="img"') >= 4
    assert "<desc" in html
    assert "Definitions" in html
    assert "First-response time" in html
    assert 'role="region"' in html
    assert "private, no-store" in response.headers["Cache-Control"]


def test_the_show_button_looks_like_the_product_s_buttons(client, world, marketer):
    """The filters' submit button carries the product's button style."""
    html = client.get("/studio/insights").get_data(as_text=True)
    assert re.search(r'<button type="submit" class="button">Show</button>', html)


def test_small_groups_show_their_counts_but_no_rates(client, world, marketer):
    """A community with 4 leads shows its counts; its rates read "n < 5", the total's do not."""
    html = client.get("/studio/insights").get_data(as_text=True)
    rows = {row[0]: row for row in page_tables(html)["funnel"][1:]}
    assert rows["Alpha House"][1:6] == ["4", "3", "2", "1", "0"]
    assert rows["Alpha House"][6:] == ["n < 5"] * 4
    # All: 7 leads, 5 toured, 3 applied: lead → toured and toured → applied are shown,
    # applied → leased (over 3 applications) is not.
    assert rows["All"][6:] == ["71.4%", "60.0%", "n < 5", "28.6%"]
    assert "Small groups" in html


@pytest.mark.parametrize("name", list(TABLES))
def test_every_csv_equals_its_table_on_the_page(client, world, marketer, name):
    """Each table's CSV export has the page's header, rows and total, cell for cell."""
    args = "period=90d&by=first_touch"
    html = client.get(f"/studio/insights?{args}").get_data(as_text=True)
    response = client.get(f"/studio/insights.csv?table={name}&{args}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert f"insights-{name}-" in response.headers["Content-Disposition"]
    exported = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert exported == page_tables(html)[name]
    assert len(exported) > 1


def test_filters_reach_the_page_and_the_export_links(client, world, marketer):
    """A community filter narrows every table, and the CSV links keep it."""
    response = client.get(f"/studio/insights?community={world.beta.id}&by=agent")
    html = response.get_data(as_text=True)
    funnel = {row[0]: row[1:6] for row in page_tables(html)["funnel"][1:]}
    assert funnel == {"Agent Two": ["3", "2", "1", "1", "2"], "All": ["3", "2", "1", "1", "2"]}
    assert re.search(rf"insights\.csv\?[^\"]*community={world.beta.id}", html)


def test_a_custom_period_and_its_errors(client, world, marketer):
    """From/to dates replace the preset; a half-given or reversed range is a clear 422."""
    html = client.get("/studio/insights?start=2026-11-01&end=2026-11-30").get_data(as_text=True)
    assert {row[0]: row[1] for row in page_tables(html)["funnel"][1:]}["All"] == "3"
    bad = client.get("/studio/insights?start=2026-11-30&end=2026-11-01")
    assert bad.status_code == 422
    assert "must not be before" in bad.get_data(as_text=True)
    assert client.get("/studio/insights?start=2026-11-30").status_code == 422
    assert client.get("/studio/insights?by=postcode").status_code == 422
    assert client.get("/studio/insights?community=999999").status_code == 422


def test_a_bad_csv_request_is_refused_plainly(client, world, marketer):
    """An unknown or missing table, or bad filters: 400 saying why, no CSV."""
    for args in ("table=people", "", "table=funnel&period=forever"):
        response = client.get(f"/studio/insights.csv?{args}")
        assert response.status_code == 400
        assert response.mimetype == "text/plain"


def test_marketers_see_no_contact_data(client, world, marketer):
    """Names, emails, phones and notes of prospects are on neither the page nor any CSV."""
    bodies = [client.get("/studio/insights?by=last_touch").get_data(as_text=True)]
    bodies += [
        client.get(f"/studio/insights.csv?table={name}").get_data(as_text=True) for name in TABLES
    ]
    for body in bodies:
        for secret in ("secret@example.com", "Secret P", "Private Name", "+358", "secret note"):
            assert secret not in body
        assert "private notes" not in body
        assert "Too loud" not in body


@pytest.mark.parametrize("path", ["/studio/insights", "/studio/insights.csv?table=funnel"])
def test_agents_prospects_and_visitors_are_refused(client, auth, app, path):
    """Agents and prospects get 403; a visitor is sent to sign in; admins may look."""
    assert client.get(path).status_code == 302
    agent = gen_staff("agent")
    admin = gen_staff("admin")
    db.session.commit()
    auth.login(agent.email, STAFF_PASSWORD)
    assert client.get(path).status_code == 403
    auth.logout()
    auth.login(admin.email, STAFF_PASSWORD)
    assert client.get(path).status_code == 200
    auth.logout()
    sign_in(client, "pia@example.com")
    assert client.get(path).status_code == 403
