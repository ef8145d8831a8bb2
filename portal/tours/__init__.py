"""Public tour booking (no account needed) and the manage links sent by email."""

from flask import Blueprint

bp = Blueprint("tours", __name__, url_prefix="/tours")


@bp.record_once
def _register_filters(state):
    from portal.tours.display import register

    register(state.app)


from portal.tours import views_book, views_manage  # noqa: E402, F401
