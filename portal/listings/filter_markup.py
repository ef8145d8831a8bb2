"""The listings filter form's HTML, rendered once per distinct query and kept.

Rendering the form's widgets was a third of an index page's render, and for the
visitors without saved places the form shows only what the query string says (the
values typed and their errors), so the markup is kept under exactly that. A visitor
with saved places sees their labels in it: that form is rendered for them alone.
"""

from flask import render_template
from markupsafe import Markup

from portal.geo.commute import Destination
from portal.listings.catalogue_version import catalogue_cache
from portal.listings.forms import ListingFilterForm


def filter_form_markup(form: ListingFilterForm, destinations: list[Destination], version: int):
    """The form's HTML for this request (the version only ties the entry to the cache's life)."""
    if destinations:
        return _render(form, destinations)
    key = (
        "filters",
        tuple((f.name, tuple(f.raw_data or ()), tuple(f.errors)) for f in form),
    )
    return catalogue_cache().get(version, key, lambda: _render(form, destinations))


def _render(form: ListingFilterForm, destinations: list[Destination]) -> Markup:
    html = render_template("listings/_filters.html", form=form, destinations=destinations)
    return Markup(html)  # noqa: S704 - an autoescaped template's output
