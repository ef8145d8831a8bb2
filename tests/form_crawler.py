"""Reading a portal's forms from its pages, for the hostile-input tests.

``crawl`` renders every GET route of the URL map (and the pages those link to) for the
client it is for and returns each distinct form once, with the values the page filled in;
``portal_form_classes`` lists the FlaskForms the crawl is checked against.
"""

import importlib
import pkgutil
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from flask_wtf import FlaskForm
from werkzeug.exceptions import HTTPException
from wtforms.fields.core import UnboundField

import portal
from portal.input_limits import BoundedForm

# Never sent: they end the session the crawl runs in, or erase the account.
SKIPPED_ENDPOINTS = {"auth.logout", "prospects.delete_account", "static"}


@dataclass
class PageForm:
    page: str
    action: str
    method: str
    values: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)

    def key(self) -> tuple:
        action = re.sub(r"/\d+", "/N", urlsplit(self.action).path)
        names = {re.sub(r"^t\d+-", "", name) for name in self.kinds}  # tour type prefixes
        return (self.method, action, tuple(sorted(names)))


class _FormReader(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page, self.forms, self.links = page, [], []
        self._form: PageForm | None = None
        self._text: tuple[str, list] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href", "").startswith("/"):
            self.links.append(a["href"])
        if tag == "form":
            action = a.get("action") or self.page
            self._form = PageForm(self.page, action, (a.get("method") or "get").upper())
            self.forms.append(self._form)
        if self._form is None or "name" not in a:
            return
        name, form = a["name"], self._form
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            form.kinds.setdefault(name, kind)
            if kind in ("checkbox", "radio"):
                if "checked" in a or name not in form.values:
                    form.values[name] = a.get("value", "y")
            else:
                form.values[name] = a.get("value", "")
        elif tag == "button":  # a named button sends its value (the consent choice)
            form.kinds.setdefault(name, "button")
            form.values.setdefault(name, a.get("value", ""))
        elif tag == "textarea":
            form.kinds[name] = "textarea"
            self._text = (name, [])
        elif tag == "select":
            form.kinds[name] = "select"
            self._select = name
        elif (
            tag == "option"
            and self._select
            and ("selected" in a or self._select not in form.values)
        ):
            form.values[self._select] = a.get("value", "")

    def handle_data(self, data):
        if self._text:
            self._text[1].append(data)

    def handle_endtag(self, tag):
        if tag == "textarea" and self._text and self._form:
            self._form.values[self._text[0]] = "".join(self._text[1]).lstrip("\n")
            self._text = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def _endpoint(app, url: str):
    """The URL map's rule for ``url`` (GET, else POST), or None."""
    adapter = app.url_map.bind("portal.test")
    for method in ("GET", "POST"):
        try:
            return adapter.match(urlsplit(url).path, method=method, return_rule=True)[0]
        except HTTPException:
            continue
    return None


def _start_pages(app, ids: dict) -> list[str]:
    pages = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIPPED_ENDPOINTS:
            continue
        if rule.rule.startswith(("/api/", "/dev/")) or rule.rule.endswith((".json", ".ics")):
            continue
        if not set(rule.arguments) <= ids.keys():
            continue
        pages.append(app.url_for(rule.endpoint, **{a: ids[a] for a in rule.arguments}))
    return pages


def client_for(clients: dict, url: str):
    """The client a page is for: the admin for staff and studio, nobody for sign-in."""
    path = urlsplit(url).path
    if path.startswith(("/staff", "/studio")):
        return clients["admin"]
    if path.startswith(("/auth", "/me/sign-in")):
        return clients["anonymous"]
    return clients["prospect"]


def crawl(app, clients: dict, ids: dict) -> list[PageForm]:
    """Every form on every page the URL map has (and on the pages those link to), once."""
    queue, seen_endpoints, forms = _start_pages(app, ids), set(), {}
    while queue:
        url = queue.pop(0)
        endpoint = _endpoint(app, url)
        if endpoint is None or endpoint.endpoint in SKIPPED_ENDPOINTS:
            continue
        # Once per endpoint and set of query names (a booking page with a chosen time).
        seen = (endpoint.endpoint, tuple(sorted(parse_qs(urlsplit(url).query))))
        if seen in seen_endpoints or endpoint.rule.startswith(("/api/", "/dev/")):
            continue
        seen_endpoints.add(seen)
        response = client_for(clients, url).get(url)
        assert response.status_code < 500, url
        if "text/html" not in response.content_type:
            continue
        reader = _FormReader(url.split("?")[0])
        reader.feed(response.get_data(as_text=True))
        for form in reader.forms:
            rule = _endpoint(app, form.action)
            if form.kinds and rule and rule.endpoint not in SKIPPED_ENDPOINTS:
                forms.setdefault(form.key(), form)
        for link in reader.links:
            if link.startswith("/static/"):
                continue
            queue.append(link)
            query = parse_qs(urlsplit(link).query)
            if query and (rule := _endpoint(app, link)) and rule.endpoint not in SKIPPED_ENDPOINTS:
                # A link's query values are inputs too (a page number, a chosen day).
                values = {k: v[0] for k, v in query.items()}
                link_form = PageForm(url, urlsplit(link).path, "GET", values)
                link_form.kinds = dict.fromkeys(values, "query")
                forms.setdefault(link_form.key(), link_form)
    return list(forms.values())


def portal_form_classes() -> list[type[FlaskForm]]:
    """Every FlaskForm subclass defined in the portal package."""
    for module in pkgutil.walk_packages(portal.__path__, "portal."):
        importlib.import_module(module.name)
    found, stack = [], [FlaskForm]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("portal.") and sub is not BoundedForm:
                found.append(sub)
    return found


def field_names(form_class) -> dict[str, type]:
    """The fields a form class declares (its own and inherited), by name."""
    return {
        name: value.field_class
        for name in dir(form_class)
        if isinstance(value := getattr(form_class, name), UnboundField)
    }
