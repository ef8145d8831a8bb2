"""The "what matters to you" questionnaire, for visitors and prospects alike."""

from flask import abort, flash, redirect, render_template, request, url_for

from portal.extensions import db
from portal.forms import EmptyForm
from portal.prospects.current import current_owner, safe_next, visitor_pages_only
from portal.prospects.forms import PrioritiesForm
from portal.prospects.interests import infer_interests
from portal.prospects.priorities import (
    InvalidPriorities,
    adopt_interest,
    current_priorities,
    history_entries,
    priority_history,
    record_priorities,
)
from portal.prospects.signals import signals_of
from portal.prospects.topics import TOPICS
from portal.prospects.views import bp


@bp.route("/priorities", methods=["GET", "POST"])
@visitor_pages_only
def priorities():
    prospect, visitor_id = current_owner()
    form = PrioritiesForm()
    if request.method == "GET":
        form.fill_from(current_priorities(prospect, visitor_id))
    elif form.validate_on_submit():
        prospect, visitor_id = current_owner(create=True)
        changed = record_priorities(
            form.to_priorities(), source="prospect", prospect=prospect, visitor_id=visitor_id
        )
        db.session.commit()
        flash(
            "Saved. Homes are now ranked by what matters to you."
            if changed
            else "Nothing changed.",
            "info",
        )
        target = safe_next(request.args.get("next")) or url_for("listings.index", sort="fit")
        return redirect(target, code=303)
    status = 400 if form.errors else 200
    history = history_entries(priority_history(prospect, visitor_id))
    stated = current_priorities(prospect, visitor_id)
    suggestions = [
        i
        for i in infer_interests(signals_of(prospect, visitor_id))
        if i.topic in TOPICS and stated.level(i.topic) is None
    ]
    return render_template(
        "prospects/priorities.html",
        form=form,
        history=history,
        suggestions=suggestions,
        topics=TOPICS,
    ), status


@bp.post("/priorities/adopt/<topic>")
@visitor_pages_only
def adopt(topic: str):
    """Make a browsing suggestion a stated "nice to have" with one click."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    prospect, visitor_id = current_owner(create=True)
    try:
        adopt_interest(topic, prospect=prospect, visitor_id=visitor_id)
    except InvalidPriorities:
        abort(404, description="We do not ask about that topic.")
    db.session.commit()
    flash(f"Added “{TOPICS[topic]}” as nice to have.", "info")
    return redirect(url_for("prospects.priorities"), code=303)
