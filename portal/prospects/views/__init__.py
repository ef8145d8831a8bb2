"""The prospect area's pages under /me, one module per page group."""

from flask import Blueprint

bp = Blueprint("prospects", __name__, url_prefix="/me")

# The page modules add their routes to ``bp``.
from portal.prospects.views import (  # noqa: E402, F401
    account,
    priorities,
    saved,
    sign_in,
    tracking,
)
