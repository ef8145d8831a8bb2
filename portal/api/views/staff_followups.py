"""GET /api/v1/staff/prospects/{id}/followups: the queue the agent's page shows, as JSON.

Same service and same visibility as ``portal.staff.views.followups``: a prospect outside
the token's communities (or any, for a marketer's token) answers 404.
"""

from flask import abort, current_app, jsonify

from portal.api.staff_auth import current_staff, staff_token_required
from portal.api.views import bp
from portal.extensions import db
from portal.followups import review
from portal.models import Prospect
from portal.settings import geo_settings
from portal.staff.visibility import sees_personal_data, visible_prospect_ids


def followup_json(entry: review.QueueEntry) -> dict:
    m, preview = entry.message, entry.preview
    if preview is not None:  # pending: exactly what would go now
        rendered = preview.rendered
        subject, text = (rendered.subject, rendered.text) if rendered else (None, None)
        facts = [{"key": k, "value": v} for k, v in rendered.facts] if rendered else []
        skip_reason, topic = preview.skip_reason, preview.topic
    else:
        subject, text, facts, skip_reason = m.subject, m.text_body, m.facts or [], m.skip_reason
        topic = m.step.content if m.step.content != "priority" else None
    return {
        "id": m.id,
        "plan": {"id": m.plan.id, "name": m.plan.name, "trigger": m.plan.trigger},
        "step": {"position": m.position, "content": m.step.content, "topic": topic},
        "channel": m.channel,
        "status": m.status,
        "skip_reason": skip_reason,
        "scheduled_for": m.scheduled_for.isoformat(),
        "sent_at": m.sent_at.isoformat() if m.sent_at else None,
        "subject": subject,
        "text": text,
        "facts": facts,
    }


@bp.get("/staff/prospects/<int:prospect_id>/followups")
@staff_token_required
def staff_prospect_followups(prospect_id: int):
    staff = current_staff()
    prospect = db.session.get(Prospect, prospect_id)
    visible = visible_prospect_ids(staff)
    allowed = sees_personal_data(staff) and (
        visible is None or prospect_id in set(db.session.scalars(visible))
    )
    if prospect is None or prospect.erased_at is not None or not allowed:
        abort(404, description="No such prospect among yours.")
    entries = review.queue_of(
        prospect.id, geo_settings(), secret_key=current_app.config["SECRET_KEY"]
    )
    return jsonify({"prospect_id": prospect.id, "followups": [followup_json(e) for e in entries]})
