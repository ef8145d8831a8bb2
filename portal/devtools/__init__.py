"""Development-only pages (registered only when DEV_OUTBOX is on, never in production)."""

from flask import Blueprint

bp = Blueprint("devtools", __name__, url_prefix="/dev")

from portal.devtools import views  # noqa: E402, F401
