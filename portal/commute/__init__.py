from flask import Blueprint

bp = Blueprint("commute", __name__, url_prefix="/commute")

from portal.commute import templating, views  # noqa: E402, F401
