"""Staff sign-in and sign-out pages."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user

from portal.auth.forms import StaffLoginForm
from portal.auth.redirects import safe_next
from portal.auth.services import authenticate_staff
from portal.extensions import limiter
from portal.forms import EmptyForm

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10/minute;50/hour", methods=["POST"])
def login():
    """The staff sign-in form; a signed-in staff member goes straight to the staff area."""
    if current_user.is_authenticated and current_user.role != "prospect":
        return redirect(url_for("staff.index"))
    form = StaffLoginForm()
    if form.validate_on_submit():
        user = authenticate_staff(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(safe_next(request.args.get("next")) or url_for("staff.index"))
        flash("That email and password do not match an active staff account.", "error")
    status = 400 if form.errors else 200
    if request.method == "POST" and not form.errors:
        status = 401
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout():
    """Sign out (POST only, with CSRF) and go home."""
    form = EmptyForm()
    if form.validate_on_submit():
        logout_user()
        flash("You are signed out.", "info")
    return redirect(url_for("home.index"), code=303)
