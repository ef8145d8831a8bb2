"""Staff sign-in and sign-out pages."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.forms import StaffLoginForm
from portal.auth.redirects import safe_next
from portal.auth.services import authenticate_staff, sign_out_everywhere
from portal.auth.session import end_session, start_staff_session
from portal.extensions import db, limiter
from portal.forms import EmptyForm
from portal.models import StaffUser

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _staff_home(user) -> str:
    """Where a sign-in lands: marketers work in the studio, everyone else in their day."""
    return url_for("studio.index" if user.role == "marketer" else "staff.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10/minute;50/hour", methods=["POST"])
def login():
    """The staff sign-in form; a signed-in staff member goes straight to the staff area."""
    if current_user.is_authenticated and current_user.role != "prospect":
        return redirect(_staff_home(current_user))
    form = StaffLoginForm()
    if form.validate_on_submit():
        user = authenticate_staff(form.email.data, form.password.data)
        if user is not None:
            start_staff_session(user)
            return redirect(safe_next(request.args.get("next")) or _staff_home(user))
        flash("That email and password do not match an active staff account.", "error")
    status = 400 if form.errors else 200
    if request.method == "POST" and not form.errors:
        status = 401
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    """Sign out (POST only, with CSRF) and go home; staff are signed out on every device,
    so a copy of the session cookie stops working too."""
    form = EmptyForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if isinstance(user, StaffUser):
            sign_out_everywhere(user)
            db.session.commit()
        end_session()
        flash("You are signed out.", "info")
    return redirect(url_for("home.index"), code=303)
