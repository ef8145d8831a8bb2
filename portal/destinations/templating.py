"""How a commute result reads on a page: ``commute_text`` and the ``mode_word`` filter."""

from flask import Flask

from portal.geo.commute import CommuteResult
from portal.geo.modes import MODE_WORDS


def commute_text(result: CommuteResult | None) -> str:
    if result is None:
        return "–"
    if result.status == "outside_coverage":
        return "outside our area"
    if result.status != "ok":
        return "no route"
    return f"{'~' if result.estimate else ''}{result.minutes} min"


def mode_word(mode: str) -> str:
    return MODE_WORDS.get(mode, mode)


def register(app: Flask) -> None:
    app.add_template_global(commute_text)
    app.add_template_filter(mode_word)
