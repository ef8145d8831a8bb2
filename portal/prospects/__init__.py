"""The prospect area under /me: magic-link accounts, priorities, saved homes, my data."""

from flask import Blueprint

bp = Blueprint("prospects", __name__, url_prefix="/me")

from portal.prospects import (  # noqa: E402, F401
    views_account,
    views_priorities,
    views_saved,
    views_sign_in,
    views_tracking,
)
