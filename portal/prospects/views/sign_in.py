"""Magic-link sign-in: ask for a link, open it, confirm with one click."""

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import login_user

from portal.auth.services import normalise_email
from portal.destinations.store import move_session_destinations_to_prospect
from portal.extensions import db, limiter
from portal.forms import EmptyForm
from portal.prospects.current import safe_next
from portal.prospects.forms import SignInForm
from portal.prospects.magic_links import (
    LinkProblem,
    check_link,
    redeem_link,
    send_sign_in_link,
)
from portal.prospects.views import bp
from portal.prospects.visitor import (
    forget_visitor,
    merge_visitor_into_prospect,
    visitor_state_from_session,
)

_TOO_MANY = "Too many sign-in links were requested. Please wait a few minutes and try again."
_PROBLEMS = {
    "invalid": ("This sign-in link is not valid.", 400),
    "expired": ("This sign-in link has expired (links work for 20 minutes).", 410),
    "used": ("This sign-in link was already used (each link works once).", 410),
}


def _email_key() -> str:
    return "sign-in-email:" + normalise_email(request.form.get("email", ""))


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("5/minute;30/hour", methods=["POST"], error_message=_TOO_MANY)
@limiter.limit(
    "3/15 minutes;10/day", methods=["POST"], key_func=_email_key, error_message=_TOO_MANY
)
def sign_in():
    form = SignInForm(next=request.args.get("next"), email=request.args.get("email"))
    if form.validate_on_submit():
        next_url = safe_next(form.next.data)
        issued = send_sign_in_link(
            form.email.data,
            secret_key=current_app.config["SECRET_KEY"],
            link_url=lambda token: url_for(
                "prospects.open_link", token=token, next=next_url, _external=True
            ),
        )
        db.session.commit()
        return redirect(url_for("prospects.link_sent", email=issued.link.email), code=303)
    status = 400 if form.errors else 200
    return render_template("prospects/sign_in.html", form=form), status


@bp.get("/sign-in/sent")
def link_sent():
    return render_template("prospects/link_sent.html", email=request.args.get("email", ""))


def _problem_page(problem: LinkProblem):
    message, status = _PROBLEMS[problem.reason]
    form = SignInForm(formdata=None, email=problem.email)
    return render_template("prospects/link_problem.html", message=message, form=form), status


@bp.get("/sign-in/<token>")
def open_link(token: str):
    """Show a button only: mail scanners open links, and a GET must not spend one."""
    try:
        link = check_link(token, secret_key=current_app.config["SECRET_KEY"])
    except LinkProblem as problem:
        return _problem_page(problem)
    return render_template(
        "prospects/confirm_sign_in.html",
        email=link.email,
        token=token,
        next=safe_next(request.args.get("next")),
    )


@bp.post("/sign-in/<token>")
def use_link(token: str):
    if not EmptyForm().validate_on_submit():  # CSRF only; the token is in the URL
        return _problem_page(LinkProblem("invalid"))
    try:
        prospect = redeem_link(token, secret_key=current_app.config["SECRET_KEY"])
    except LinkProblem as problem:
        db.session.rollback()
        return _problem_page(problem)
    merge_visitor_into_prospect(prospect, visitor_state_from_session(session))
    move_session_destinations_to_prospect(session, prospect.id)  # commute places
    db.session.commit()
    forget_visitor(session)
    login_user(prospect)
    flash("You are signed in. Everything you saved is in your account.", "info")
    return redirect(safe_next(request.args.get("next")) or url_for("prospects.account"), code=303)
