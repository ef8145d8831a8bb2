"""The public tour pages under /tours: booking (``book``) and manage links (``manage``)."""

from flask import Blueprint

bp = Blueprint("tours", __name__, url_prefix="/tours")


@bp.after_request
def _keep_tokens_private(response):
    # Manage pages carry a secret token in their URL: never leak it in a Referer header
    # (e.g. to the video meeting provider) and never let a shared cache keep the page.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "private, no-store"
    return response


from portal.tours.views import book, manage  # noqa: E402, F401
