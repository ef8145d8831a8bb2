"""Who is signed in, and the role checks every staff route goes through."""

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from portal.extensions import db
from portal.models import Prospect, StaffUser


def load_user(user_id: str) -> StaffUser | Prospect | None:
    """Staff sign in as "staff:<id>", prospects (magic links) as "prospect:<id>"."""
    kind, _, raw_id = user_id.partition(":")
    model = {"staff": StaffUser, "prospect": Prospect}.get(kind)
    if model is None or not raw_id.isdigit():
        return None
    user = db.session.get(model, int(raw_id))
    return user if user is not None and user.is_active else None


def roles_required(*roles: str) -> Callable:
    """Allow signed-in staff with one of ``roles`` (admins always); others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not isinstance(current_user._get_current_object(), StaffUser):
                abort(403)
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
