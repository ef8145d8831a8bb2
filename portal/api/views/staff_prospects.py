"""GET /api/v1/staff/prospects and /staff/prospects/{id}/timeline: the prospects pages as data.

The same filter form, query (``portal.prospects.staff_list``) and timeline
(``portal.prospects.timeline``) as the pages, through the token's visibility. A
marketer's token gets 403: marketers see no personal data.
"""

import sqlalchemy as sa
from flask import abort, jsonify, request

from portal.api.forms import StaffProspectQuery
from portal.api.staff_auth import current_staff, staff_token_required
from portal.api.views import bp
from portal.errors import api_error
from portal.extensions import db
from portal.forms import field_errors
from portal.models import Prospect, Tour
from portal.models.base import utcnow
from portal.prospects.notes import assignable_agents
from portal.prospects.staff_list import PER_PAGE, find_prospects
from portal.prospects.timeline import prospect_timeline
from portal.staff.visibility import sees_personal_data, visible_properties, visible_prospects


def _no_people():
    return api_error(403, "no_personal_data", "Marketers' tokens see no prospects' data.")


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def prospect_json(prospect: Prospect, next_tour: Tour | None) -> dict:
    return {
        "id": prospect.id,
        "name": prospect.name,
        "email": prospect.email,
        "phone": prospect.phone,
        "stage": prospect.stage,
        "lost_reason": prospect.lost_reason,
        "source": (prospect.first_touch or {}).get("utm_source"),
        "assigned_agent_id": prospect.assigned_agent_id,
        "created_at": _iso(prospect.created_at),
        "last_contact_at": _iso(prospect.last_contact_at),
        "last_seen_at": _iso(prospect.last_seen_at),
        "next_tour": {
            "id": next_tour.id,
            "starts_at": _iso(next_tour.starts_at),
            "property_id": next_tour.property_id,
            "status": next_tour.status,
        }
        if next_tour
        else None,
    }


@bp.get("/staff/prospects")
@staff_token_required
def staff_prospects():
    """The prospects the token sees, filtered as on the page, newest first, by keyset."""
    staff = current_staff()
    if not sees_personal_data(staff):
        return _no_people()
    form = StaffProspectQuery(formdata=request.args).offer(
        visible_properties(staff), assignable_agents(staff)
    )
    if not form.validate():
        return api_error(400, "invalid_query", "Some filters are not valid.", field_errors(form))
    page = find_prospects(
        staff,
        form.filters(),
        now=utcnow(),
        after=form.after.data,
        per_page=form.limit.data or PER_PAGE,
    )
    return jsonify(
        {
            "items": [prospect_json(row.prospect, row.next_tour) for row in page.rows],
            "next_after": page.next_after,
        }
    )


@bp.get("/staff/prospects/<int:prospect_id>/timeline")
@staff_token_required
def staff_prospect_timeline(prospect_id: int):
    """Everything recorded about one prospect, newest first."""
    staff = current_staff()
    if not sees_personal_data(staff):
        return _no_people()
    stmt = sa.select(Prospect).where(Prospect.id == prospect_id, Prospect.erased_at.is_(None))
    prospect = db.session.scalar(visible_prospects(staff, stmt))
    if prospect is None:
        abort(404, description="No such prospect among yours.")
    return jsonify(
        {
            "prospect": prospect_json(prospect, None),
            "entries": [
                {
                    "at": _iso(e.at),
                    "kind": e.kind,
                    "title": e.title,
                    "details": e.details,
                    "actor": e.actor,
                    "ref": e.ref,
                }
                for e in prospect_timeline(prospect)
            ],
        }
    )
