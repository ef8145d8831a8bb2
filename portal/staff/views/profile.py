"""A staff user's profile: their API tokens, listed, made (secret shown once) and revoked.

The writes are ``portal.staff.api_tokens``.
"""

from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_login import current_user

from portal.auth.session import roles_required
from portal.extensions import db
from portal.forms import EmptyForm, FieldErrors, add_field_errors
from portal.models.base import utcnow
from portal.staff import api_tokens
from portal.staff.forms import ApiTokenForm
from portal.staff.views import bp


def _page(form=None, secret=None, status=200):
    response = make_response(
        render_template(
            "staff/profile.html",
            tokens=api_tokens.tokens_of(current_user),
            form=form or ApiTokenForm(formdata=None),
            new_secret=secret,
            now=utcnow(),
        ),
        status,
    )
    # The page may show a new secret: no cache may keep it.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/profile")
@roles_required("agent", "marketer")
def profile():
    """The signed-in staff user's account and API tokens."""
    return _page()


@bp.post("/profile/tokens")
@roles_required("agent", "marketer")
def create_token():
    """Make an API token and show its secret on this one response."""
    form = ApiTokenForm()
    if not form.validate():
        return _page(form=form, status=422)
    try:
        issued = api_tokens.issue_token(
            current_user, form.name.data, now=utcnow(), expires_days=form.expires_days.data
        )
    except FieldErrors as exc:
        add_field_errors(form, exc)
        return _page(form=form, status=422)
    db.session.commit()
    return _page(secret=issued.secret, status=201)


@bp.post("/profile/tokens/<int:token_id>/revoke")
@roles_required("agent", "marketer")
def revoke_token(token_id: int):
    """Revoke one of the user's own tokens; another user's token is a 404."""
    if not EmptyForm().validate():
        abort(400)
    token = api_tokens.revoke_token(current_user, token_id, utcnow())
    if token is None:
        abort(404)
    db.session.commit()
    flash(f"Token {token.name} ({token.prefix}…) revoked.", "success")
    return redirect(url_for("staff.profile"), 303)
