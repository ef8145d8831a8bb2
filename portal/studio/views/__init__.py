"""The studio blueprint, one module per page group (content, media, snippets, insights).

Every studio route is for marketers (and admins): the role check runs before any view,
so a page added later cannot forget it.
"""

from flask import Blueprint

from portal.auth.session import roles_required

bp = Blueprint("studio", __name__, url_prefix="/studio")


@bp.before_request
@roles_required("marketer")
def _marketers_only() -> None:
    """Agents and prospects get 403, visitors the sign-in page (admins always pass)."""


# The pages register their routes on ``bp`` (imported last: they import ``bp`` from here).
from portal.studio.views import content, followups, home, insights  # noqa: E402, F401
