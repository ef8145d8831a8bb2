"""How a commute result reads on a page."""

from portal.commute import bp
from portal.geo.commute import CommuteResult

MODE_WORDS = {"walk": "walk", "bike": "bike", "drive": "drive", "transit": "public transport"}


@bp.app_template_global()
def commute_text(result: CommuteResult | None) -> str:
    if result is None:
        return "–"
    if result.status == "outside_coverage":
        return "outside our area"
    if result.status != "ok":
        return "no route"
    return f"{'~' if result.estimate else ''}{result.minutes} min"


@bp.app_template_filter()
def mode_word(mode: str) -> str:
    return MODE_WORDS.get(mode, mode)
