"""A prospect's follow-ups for the agent: the queue with previews, and what went or was skipped.

Thin views over ``portal.followups.review``; the prospect must be visible to the signed-in
staff member (``portal.staff.visibility``), otherwise 404. Every staff page also shows a
backlog warning when due follow-ups pile up (the mail server is down, or no worker runs).
"""

import time
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from portal.auth.session import roles_required
from portal.extensions import db
from portal.followups import review
from portal.followups.compose import compose
from portal.followups.dispatch import send_mode
from portal.followups.worker import backlog
from portal.forms import EmptyForm
from portal.models import Prospect
from portal.models.base import utcnow
from portal.settings import geo_settings
from portal.staff.forms import FollowupEditForm, FollowupRescheduleForm, FollowupSkipForm
from portal.staff.views import bp
from portal.staff.visibility import sees_personal_data, visible_prospect_ids

_BACKLOG_KEPT = "followup_backlog"  # app.extensions key: the last count and until when


@bp.context_processor
def _followup_backlog() -> dict:
    """How many follow-ups are overdue, when it is enough to warn about (staff pages only).

    Counted at most every FOLLOWUPS_BACKLOG_RECOUNT_SECONDS per process: the warning is
    about messages late by a quarter of an hour, and the count was one of the two or
    three statements every staff page runs.
    """
    if not getattr(current_user, "is_authenticated", False) or current_user.role == "prospect":
        return {}
    config = current_app.config
    kept = current_app.extensions.setdefault(_BACKLOG_KEPT, {})
    moment = time.monotonic()
    if kept.get("until", 0.0) > moment:
        overdue = kept["overdue"]
    else:
        try:
            overdue = backlog(utcnow(), config)
        except Exception:  # the warning must never break the page it sits on
            current_app.logger.exception("could not count the follow-up backlog")
            return {}
        kept.update(overdue=overdue, until=moment + config["FOLLOWUPS_BACKLOG_RECOUNT_SECONDS"])
    threshold = config.get("FOLLOWUPS_BACKLOG_WARNING", 20)
    return {"followup_backlog": overdue if overdue >= threshold else 0}


def _prospect_or_404(prospect_id: int) -> Prospect:
    prospect = db.session.get(Prospect, prospect_id)
    visible = visible_prospect_ids(current_user)
    allowed = sees_personal_data(current_user) and (
        visible is None or prospect_id in set(db.session.scalars(visible))
    )
    if prospect is None or prospect.erased_at is not None or not allowed:
        abort(404, description="No such prospect among yours.")
    return prospect


def _message_or_404(prospect: Prospect, message_id: int):
    message = review.message_for(prospect.id, message_id)
    if message is None:
        abort(404, description="No such follow-up for this prospect.")
    return message


def _back(prospect: Prospect):
    return redirect(url_for("staff.followups", prospect_id=prospect.id), 303)


def _queue_page(prospect: Prospect, status: int = 200, error: str | None = None):
    entries = review.queue_of(
        prospect.id, geo_settings(), secret_key=current_app.config["SECRET_KEY"]
    )
    modes = {e.message.plan.property_id: send_mode(e.message.plan.property_id) for e in entries}
    return (
        render_template(
            "staff/followups.html",
            prospect=prospect,
            entries=entries,
            modes=modes,
            error=error,
            form=EmptyForm(),
            edit_form=FollowupEditForm(formdata=None),
            reschedule_form=FollowupRescheduleForm(formdata=None),
            skip_form=FollowupSkipForm(formdata=None),
        ),
        status,
    )


@bp.get("/prospects/<int:prospect_id>/followups")
@roles_required("agent")
def followups(prospect_id: int):
    """The prospect's queue (previews exactly as they would go now), sent and skipped."""
    return _queue_page(_prospect_or_404(prospect_id))


def _change(prospect_id: int, message_id: int, form, action, done: str):
    """Validate, apply one review action and commit; errors re-render the queue (422)."""
    prospect = _prospect_or_404(prospect_id)
    message = _message_or_404(prospect, message_id)
    if not form.validate():
        if "csrf_token" in form.errors:
            return _queue_page(prospect, 400, "The form expired; reload the page and try again.")
        errors = "; ".join(
            f"{form[name].label.text}: {' '.join(e)}" for name, e in form.errors.items()
        )
        return _queue_page(prospect, 422, errors)
    try:
        action(message, form)
    except review.NotChangeable as exc:
        db.session.rollback()
        return _queue_page(prospect, 409, exc.message)
    db.session.commit()
    flash(done, "success")
    return _back(prospect)


@bp.post("/prospects/<int:prospect_id>/followups/<int:message_id>/approve")
@roles_required("agent")
def followup_approve(prospect_id: int, message_id: int):
    """Approve a reviewed message (or mark a phone task as called)."""
    return _change(
        prospect_id,
        message_id,
        EmptyForm(),
        lambda m, _f: review.approve(m, current_user, utcnow()),
        "Approved.",
    )


@bp.post("/prospects/<int:prospect_id>/followups/<int:message_id>/edit")
@roles_required("agent")
def followup_edit(prospect_id: int, message_id: int):
    """Replace a queued message's text; it then waits for approval."""
    return _change(
        prospect_id,
        message_id,
        FollowupEditForm(),
        lambda m, f: review.edit(m, f.subject.data, f.text.data, current_user),
        "Saved. Approve it to let it go.",
    )


@bp.post("/prospects/<int:prospect_id>/followups/<int:message_id>/reschedule")
@roles_required("agent")
def followup_reschedule(prospect_id: int, message_id: int):
    """Move a queued message to another time (in the community's zone)."""

    def action(message, form):
        zone = ZoneInfo(message.plan.property.time_zone)
        when = datetime.combine(form.when.data.date(), form.when.data.time(), zone)
        review.reschedule(message, when, utcnow())

    return _change(prospect_id, message_id, FollowupRescheduleForm(), action, "Rescheduled.")


@bp.post("/prospects/<int:prospect_id>/followups/<int:message_id>/skip")
@roles_required("agent")
def followup_skip(prospect_id: int, message_id: int):
    """Skip a queued message, with the reason."""
    return _change(
        prospect_id,
        message_id,
        FollowupSkipForm(),
        lambda m, f: review.skip(m, f.reason.data, current_user, utcnow()),
        "Skipped.",
    )


@bp.post("/prospects/<int:prospect_id>/followups/<any(replied, pause):action>")
@roles_required("agent")
def followups_stop(prospect_id: int, action: str):
    """The prospect replied (or the agent pauses them): every plan stops."""
    prospect = _prospect_or_404(prospect_id)
    if not EmptyForm().validate():
        abort(400, description="The form expired; reload the page and try again.")
    stop = review.mark_replied if action == "replied" else review.pause
    stopped = stop(prospect.id, current_user, utcnow())
    db.session.commit()
    flash(f"{stopped} plan(s) stopped." if stopped else "No plan was running.", "success")
    return _back(prospect)


@bp.get("/prospects/<int:prospect_id>/followups/<int:message_id>/preview.html")
@roles_required("agent")
def followup_preview_html(prospect_id: int, message_id: int):
    """The HTML part as it would be sent now, for a sandboxed frame on the queue page."""
    prospect = _prospect_or_404(prospect_id)
    message = _message_or_404(prospect, message_id)
    composed = compose(message, geo_settings(), secret_key=current_app.config["SECRET_KEY"])
    if composed.rendered is None:
        abort(404, description=composed.skip_reason)
    response = current_app.make_response(composed.rendered.html)
    response.headers["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; style-src 'unsafe-inline'"
    )
    return response
