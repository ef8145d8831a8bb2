"""/dev/outbox: the development mailbox (every email the portal queued)."""

import sqlalchemy as sa
from flask import Blueprint, Response, abort, render_template

from portal.extensions import db
from portal.models import OutboxEmail

bp = Blueprint("devtools", __name__, url_prefix="/dev")


@bp.get("/outbox")
def outbox():
    """Every email the portal queued, newest first: the development mailbox."""
    emails = db.session.scalars(
        sa.select(OutboxEmail)
        .order_by(OutboxEmail.created_at.desc(), OutboxEmail.id.desc())
        .limit(200)
    ).all()
    return render_template("devtools/outbox.html", emails=emails)


@bp.get("/outbox/<int:email_id>")
def outbox_email(email_id: int):
    """One queued email: headers, text part and attachments."""
    email = db.get_or_404(OutboxEmail, email_id)
    return render_template("devtools/outbox_email.html", email=email)


@bp.get("/outbox/<int:email_id>/html")
def outbox_email_html(email_id: int):
    """The HTML part on its own, shown in a sandboxed iframe."""
    email = db.get_or_404(OutboxEmail, email_id)
    if not email.html_body:
        abort(404)
    response = Response(email.html_body, mimetype="text/html")
    response.headers["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; style-src 'unsafe-inline'"
    )
    return response


@bp.get("/outbox/<int:email_id>/attachments/<int:index>")
def outbox_attachment(email_id: int, index: int):
    """One attachment (e.g. the tour's .ics) as a download."""
    email = db.get_or_404(OutboxEmail, email_id)
    if not 0 <= index < len(email.attachments):
        abort(404)
    attachment = email.attachments[index]
    return Response(
        attachment["content"],
        mimetype=attachment["content_type"].split(";")[0],
        headers={"Content-Disposition": f'attachment; filename="{attachment["filename"]}"'},
    )
