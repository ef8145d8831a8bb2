from flask import Blueprint

bp = Blueprint("commute", __name__, url_prefix="/commute")


@bp.record_once
def _join_my_data(state) -> None:
    """A prospect's places appear in their data export and go with erasure."""
    from portal.commute.destinations import destinations_for_export, erase_destinations
    from portal.prospects.my_data import ERASERS, EXPORT_SECTIONS

    EXPORT_SECTIONS["commute_destinations"] = destinations_for_export
    if erase_destinations not in ERASERS:
        ERASERS.append(erase_destinations)


from portal.commute import templating, views  # noqa: E402, F401
