"""Studio: follow-up plans and snippets per community (marketers and admins; the blueprint
checks the role before every view).

Saving a snippet validates its placeholders; an unknown one is refused (422) with the list
of valid ones. "Preview" renders the text for a sample prospect and the community's best
available home without saving anything.
"""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.extensions import db
from portal.followups import plans
from portal.followups.compose import snippet_for
from portal.followups.dispatch import send_mode
from portal.followups.placeholders import PLACEHOLDERS
from portal.forms import EmptyForm, add_field_errors
from portal.models import FollowupPlan, FollowupStep, Property
from portal.settings import geo_settings
from portal.studio.followup_forms import SendModeForm, SnippetForm, StepForm
from portal.studio.views import bp


def _property_or_404(property_id: int) -> Property:
    return db.get_or_404(Property, property_id, description="No such community.")


def _values(form: StepForm) -> plans.StepValues:
    return plans.StepValues(
        content=form.content.data,
        topic_rank=form.topic_rank.data if form.content.data == "priority" else None,
        delay_days=form.delay_days.data,
        send_at=form.send_at.data,
        channel=form.channel.data,
        expires_after_days=form.expires_after_days.data,
    )


@bp.get("/followups")
def followups():
    """Every community with its follow-up plans."""
    props = db.session.scalars(sa.select(Property).order_by(Property.name)).all()
    by_property = {
        p.id: db.session.scalars(
            sa.select(FollowupPlan)
            .where(FollowupPlan.property_id == p.id)
            .order_by(FollowupPlan.trigger)
        ).all()
        for p in props
    }
    return render_template(
        "studio/followups.html",
        props=props,
        by_property=by_property,
        modes={p.id: send_mode(p.id) for p in props},
    )


def _plans_page(prop: Property, status: int = 200, forms: dict | None = None, mode_form=None):
    plans_ = db.session.scalars(
        sa.select(FollowupPlan)
        .where(FollowupPlan.property_id == prop.id)
        .order_by(FollowupPlan.trigger)
    ).all()
    forms = forms or {}
    step_forms = {
        s.id: forms.get(s.id) or StepForm(formdata=None, obj=s)
        for plan in plans_
        for s in plan.steps
    }
    new_forms = {plan.id: forms.get(f"new-{plan.id}") or StepForm(formdata=None) for plan in plans_}
    mode_form = mode_form or SendModeForm(formdata=None, send_mode=send_mode(prop.id))
    return (
        render_template(
            "studio/followup_plans.html",
            prop=prop,
            plans=plans_,
            step_forms=step_forms,
            new_forms=new_forms,
            mode_form=mode_form,
            form=EmptyForm(),
            snippet_topics=plans.SNIPPET_TOPICS,
        ),
        status,
    )


@bp.get("/followups/<int:property_id>")
def followup_plans(property_id: int):
    """The community's plans with their steps, and whether agents review each message."""
    return _plans_page(_property_or_404(property_id))


@bp.post("/followups/<int:property_id>/mode")
def followup_mode(property_id: int):
    prop = _property_or_404(property_id)
    form = SendModeForm()
    if not form.validate():
        return _plans_page(prop, 422, mode_form=form)
    plans.set_send_mode(prop.id, form.send_mode.data)
    db.session.commit()
    flash("Saved.", "success")
    return redirect(url_for("studio.followup_plans", property_id=prop.id), 303)


def _step_or_404(prop: Property, step_id: int) -> FollowupStep:
    step = db.session.get(FollowupStep, step_id)
    if step is None or step.plan.property_id != prop.id:
        abort(404, description="No such step in this community's plans.")
    return step


def _save_step(prop: Property, form: StepForm, change, saved: str):
    """Apply a valid step form through ``change`` and commit: the redirect back to the
    plans, or None (nothing saved) when the form or the plan refuses the step."""
    if not form.validate():
        return None
    try:
        change(_values(form))
    except plans.InvalidStep as exc:
        db.session.rollback()
        add_field_errors(form, exc)
        return None
    db.session.commit()
    flash(saved, "success")
    return redirect(url_for("studio.followup_plans", property_id=prop.id), 303)


@bp.post("/followups/<int:property_id>/steps/<int:step_id>")
def followup_step(property_id: int, step_id: int):
    """Save one step."""
    prop = _property_or_404(property_id)
    step = _step_or_404(prop, step_id)
    form = StepForm()
    saved = _save_step(prop, form, lambda values: plans.update_step(step, values), "Step saved.")
    return saved or _plans_page(prop, 422, forms={step.id: form})


@bp.post("/followups/<int:property_id>/plans/<int:plan_id>/steps")
def followup_add_step(property_id: int, plan_id: int):
    """Add a step at the end of a plan, or remove its last one."""
    prop = _property_or_404(property_id)
    plan = db.session.get(FollowupPlan, plan_id)
    if plan is None or plan.property_id != prop.id:
        abort(404, description="No such plan in this community.")
    if request.form.get("remove_last"):
        if not EmptyForm().validate():
            abort(400, description="The form expired; reload the page and try again.")
        try:
            plans.remove_last_step(plan)
        except plans.InvalidStep as exc:
            db.session.rollback()
            flash(exc.fields["content"][:1].upper() + exc.fields["content"][1:] + ".", "error")
        else:
            db.session.commit()
            flash("Last step removed.", "success")
        return redirect(url_for("studio.followup_plans", property_id=prop.id), 303)
    form = StepForm()
    added = _save_step(prop, form, lambda values: plans.add_step(plan, values), "Step added.")
    return added or _plans_page(prop, 422, forms={f"new-{plan.id}": form})


@bp.route("/followups/<int:property_id>/snippets/<topic>", methods=["GET", "POST"])
def followup_snippet(property_id: int, topic: str):
    """Edit the community's snippet for a topic; "Preview" renders it without saving."""
    prop = _property_or_404(property_id)
    if topic not in plans.SNIPPET_TOPICS:
        abort(404, description="Follow-ups have no such topic.")
    current = snippet_for(topic, prop.id)
    form = SnippetForm(obj=current) if request.method == "GET" else SnippetForm()
    preview, status = None, 200
    if request.method == "POST":
        if not form.validate():
            status = 422
        elif request.form.get("action") == "preview":
            errors = {}
            for name in ("subject", "body"):
                if problems := plans.validate_snippet(form[name].data):
                    errors[name] = " ".join(problems)
            if errors:
                add_field_errors(form, plans.InvalidSnippet(errors))
                status = 422
            else:
                preview = plans.preview_snippet(
                    prop, topic, form.subject.data, form.body.data, geo_settings()
                )
        else:
            try:
                plans.save_snippet(topic, prop.id, form.subject.data, form.body.data, current_user)
            except plans.InvalidSnippet as exc:
                db.session.rollback()
                add_field_errors(form, exc)
                status = 422
            else:
                db.session.commit()
                flash("Snippet saved.", "success")
                return redirect(
                    url_for("studio.followup_snippet", property_id=prop.id, topic=topic), 303
                )
    return (
        render_template(
            "studio/followup_snippet.html",
            prop=prop,
            topic=topic,
            topic_label=plans.SNIPPET_TOPICS[topic],
            topics=plans.SNIPPET_TOPICS,
            form=form,
            own=current is not None and current.property_id == prop.id,
            preview=preview,
            placeholders=PLACEHOLDERS,
        ),
        status,
    )
