"""Consent banner choice, the browsing-signal beacon and first-visit source capture."""

from flask import abort, make_response, redirect, render_template, session, url_for

from portal.errors import api_error
from portal.extensions import db, limiter
from portal.htmx import is_htmx
from portal.prospects.current import (
    capture_request_touch,
    record_if_allowed,
    remember_consent,
    safe_next,
)
from portal.prospects.forms import ConsentForm, SignalForm
from portal.prospects.signals import InvalidSignal
from portal.prospects.views import bp
from portal.prospects.visitor import forget_touches

bp.before_app_request(capture_request_touch)


@bp.post("/consent")
def consent():
    """Record the banner choice; "necessary" is as easy to pick as "allow"."""
    form = ConsentForm()
    if not form.validate_on_submit():
        abort(400, description="Please choose one of the two buttons.")
    if form.choice.data == "necessary":
        # Campaign attribution is not necessary: a refusal drops what the first visit noted.
        forget_touches(session)
    if is_htmx():
        response = make_response(
            render_template("prospects/_consent_saved.html", choice=form.choice.data)
        )
    else:
        response = redirect(safe_next(form.next.data) or url_for("home.index"), code=303)
    return remember_consent(response, form.choice.data)


@bp.get("/consent")
def consent_settings():
    """Change the choice later (linked from the footer)."""
    return render_template("prospects/consent.html", form=ConsentForm(formdata=None))


@bp.post("/signals")
@limiter.limit("120/minute")
def signal():
    """The browsing beacon: 204 when recorded or not allowed, 400 on bad input."""
    form = SignalForm()
    if not form.validate_on_submit():
        fields = {name: " ".join(errors) for name, errors in form.errors.items()}
        return api_error(400, "invalid_signal", "The signal was not recorded.", fields)
    try:
        recorded = record_if_allowed(
            form.kind.data,
            unit_id=form.unit_id.data,
            topic=form.topic.data or None,
            dwell_seconds=form.dwell_seconds.data,
        )
    except InvalidSignal as exc:
        db.session.rollback()
        return api_error(400, "invalid_signal", str(exc))
    db.session.commit()
    return "", 204, {"X-Signal-Recorded": "1" if recorded else "0"}
