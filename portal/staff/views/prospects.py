"""The prospects list at ``/staff/prospects`` and one prospect's page with its timeline.

Reads are ``portal.prospects.staff_list`` and ``portal.prospects.timeline``; writes
are ``portal.prospects.notes`` (notes, assignment) and ``lifecycle.set_stage``.
Marketers see only the counts by stage (no personal data); a prospect outside the
viewer's properties is a 404.
"""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.auth.session import roles_required
from portal.extensions import db
from portal.forms import FieldErrors, add_field_errors
from portal.input_limits import parse_db_id
from portal.models import ContactPreference, Prospect, StaffUser
from portal.models.base import utcnow
from portal.prospects import lifecycle
from portal.prospects.notes import add_note, assign_agent, assignable_agents
from portal.prospects.priorities import IMPORTANCE_LEVELS, current_priorities
from portal.prospects.staff_list import find_prospects
from portal.prospects.timeline import prospect_timeline
from portal.prospects.topics import TOPICS
from portal.staff.forms import AssignForm, NoteForm, ProspectFilterForm, StageForm, choices
from portal.staff.views import bp
from portal.staff.visibility import (
    sees_personal_data,
    visible_properties,
    visible_prospects,
)


@bp.get("/prospects")
@roles_required("agent", "marketer")
def prospects():
    """Search and filter the prospects the viewer sees; marketers get counts only."""
    if not sees_personal_data(current_user):
        return render_template("staff/prospects.html", counts=lifecycle.stage_counts(), page=None)
    form = ProspectFilterForm(formdata=request.args).offer(
        visible_properties(current_user), assignable_agents(current_user)
    )
    raw_after = request.args.get("after", "")
    after = parse_db_id(raw_after) if raw_after else None
    valid = form.validate()
    if raw_after and after is None:  # the keyset of a page link, not a filter
        form.q.errors = [*form.q.errors, "The page link is broken; start from the first page."]
        valid = False
    if not valid:
        return render_template("staff/prospects.html", form=form, page=None, counts=None), 400
    page = find_prospects(current_user, form.filters(), now=utcnow(), after=after)
    args = request.args.to_dict()
    args.pop("after", None)
    return render_template(
        "staff/prospects.html", form=form, page=page, counts=None, query_args=args
    )


def prospect_or_404(prospect_id: int) -> Prospect:
    """The prospect if the signed-in staff user may see them; else 404, no hint."""
    stmt = sa.select(Prospect).where(Prospect.id == prospect_id, Prospect.erased_at.is_(None))
    prospect = db.session.scalar(visible_prospects(current_user, stmt))
    if prospect is None or not sees_personal_data(current_user):
        abort(404, description="No such prospect among yours.")
    return prospect


def _page(prospect, *, note_form=None, assign_form=None, stage_form=None, status=200):
    assign_form = assign_form or _assign_form(submitted=False)
    if assign_form.agent_id.data is None:
        assign_form.agent_id.data = str(prospect.assigned_agent_id or "")
    stage_form = stage_form or StageForm(formdata=None, stage=prospect.stage)
    return (
        render_template(
            "staff/prospect.html",
            prospect=prospect,
            assigned=db.session.get(StaffUser, prospect.assigned_agent_id)
            if prospect.assigned_agent_id
            else None,
            preference=db.session.get(ContactPreference, prospect.id),
            priorities=current_priorities(prospect),
            topic_labels=TOPICS,
            importance_labels=IMPORTANCE_LEVELS,
            timeline=prospect_timeline(prospect),
            note_form=note_form or NoteForm(formdata=None),
            assign_form=assign_form,
            stage_form=stage_form,
            lead_definition=lifecycle.LEAD_DEFINITION,
        ),
        status,
    )


@bp.get("/prospects/<int:prospect_id>")
@roles_required("agent")
def prospect(prospect_id: int):
    """One prospect: contact, stage, priorities and the timeline of everything."""
    return _page(prospect_or_404(prospect_id))


def _assign_form(*, submitted: bool) -> AssignForm:
    """The assignment form offering the agents the viewer may assign (or nobody)."""
    form = AssignForm() if submitted else AssignForm(formdata=None)
    form.agent_id.choices = choices(
        [("", "Nobody"), *((str(a.id), a.name) for a in assignable_agents(current_user))]
    )
    return form


def _submit(prospect_id: int, slot: str, form, action, done: str):
    """One of the prospect page's forms: ``action(prospect, form)`` for valid input.

    Invalid input, or a ``FieldErrors`` from the service, re-renders the page with
    ``form`` in its ``slot`` (422) and stores nothing; else one commit and a 303 back.
    ``action`` may return a message (a str) to flash instead of ``done``.
    """
    record = prospect_or_404(prospect_id)
    if not form.validate():
        return _page(record, **{slot: form}, status=422)
    try:
        message = action(record, form)
    except FieldErrors as exc:
        db.session.rollback()
        add_field_errors(form, exc)
        return _page(prospect_or_404(prospect_id), **{slot: form}, status=422)
    db.session.commit()
    flash(message if isinstance(message, str) else done, "success")
    return redirect(url_for("staff.prospect", prospect_id=prospect_id), 303)


@bp.post("/prospects/<int:prospect_id>/notes")
@roles_required("agent")
def add_prospect_note(prospect_id: int):
    """Add a note to the prospect's timeline."""
    return _submit(
        prospect_id,
        "note_form",
        NoteForm(),
        lambda record, form: add_note(record, current_user, form.body.data, now=utcnow()),
        "Note added.",
    )


@bp.post("/prospects/<int:prospect_id>/assign")
@roles_required("agent")
def assign_prospect(prospect_id: int):
    """Give the prospect to an agent (or to nobody)."""
    return _submit(
        prospect_id,
        "assign_form",
        _assign_form(submitted=True),
        lambda record, form: assign_agent(
            record, current_user, parse_db_id(form.agent_id.data or "")
        ),
        "Assignment saved.",
    )


def _set_stage(record: Prospect, form: StageForm) -> str:
    try:
        moved = lifecycle.set_stage(
            record,
            form.stage.data,
            reason=form.reason.data,
            actor=f"staff:{current_user.id}",
            now=utcnow(),
        )
    except ValueError as exc:  # a move the lead definition does not allow
        raise FieldErrors({"stage": str(exc)}) from exc
    return "Stage changed." if moved else "The prospect is already at that stage."


@bp.post("/prospects/<int:prospect_id>/stage")
@roles_required("agent")
def change_stage(prospect_id: int):
    """Set the lead stage by hand, as the lead definition shown beside it says."""
    return _submit(prospect_id, "stage_form", StageForm(), _set_stage, "Stage changed.")
