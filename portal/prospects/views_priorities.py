"""The "what matters to you" questionnaire, for visitors and prospects alike."""

from flask import flash, redirect, render_template, request, url_for

from portal.extensions import db
from portal.prospects import bp
from portal.prospects.current import current_owner, safe_next, visitor_pages_only
from portal.prospects.forms import PrioritiesForm
from portal.prospects.priorities import (
    Priorities,
    current_priorities,
    describe_changes,
    priority_history,
    record_priorities,
)


def history_entries(versions) -> list[dict]:
    """Each version with what changed since the one before, newest first."""
    entries, before = [], Priorities()
    for version in versions:
        after = Priorities.from_json(version.answers)
        entries.append({"version": version, "changes": describe_changes(before, after)})
        before = after
    return list(reversed(entries))


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
    return render_template("prospects/priorities.html", form=form, history=history), status
