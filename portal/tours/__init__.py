"""Public tour booking (no account needed) and the manage links sent by email."""

from flask import Blueprint

bp = Blueprint("tours", __name__, url_prefix="/tours")


@bp.record_once
def _register_filters(state):
    from portal.tours.display import register

    register(state.app)


@bp.after_request
def _keep_tokens_private(response):
    # Manage pages carry a secret token in their URL: never leak it in a Referer header
    # (e.g. to the video meeting provider) and never let a shared cache keep the page.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "private, no-store"
    return response


from portal.tours import my_data, views_book, views_manage  # noqa: E402, F401
