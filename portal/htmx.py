"""Page-or-partial rendering: one view serves the full page and its htmx fragment."""

from flask import render_template, request


def is_htmx() -> bool:
    # A boosted request wants the whole page; a targeted swap wants the fragment.
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-Boosted")


def render_page_or_partial(page: str, partial: str, **context) -> str:
    return render_template(partial if is_htmx() else page, **context)
