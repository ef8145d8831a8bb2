"""The tour brief at ``/staff/tours/<id>``: ``tours.brief.tour_brief`` rendered for print too."""

import sqlalchemy as sa
from flask import abort, render_template
from flask_login import current_user

from portal.auth.session import roles_required
from portal.extensions import db
from portal.forms import EmptyForm
from portal.models import Tour
from portal.models.base import utcnow
from portal.prospects.priorities import IMPORTANCE_LEVELS
from portal.prospects.topics import TOPICS
from portal.settings import geo_settings
from portal.staff.views import bp
from portal.staff.visibility import visible_tours
from portal.tours.agent_day import can_start_video
from portal.tours.brief import tour_brief
from portal.tours.outcomes import can_check_in


@bp.get("/tours/<int:tour_id>")
@roles_required("agent")
def brief(tour_id: int):
    """Everything to know before this tour; 404 for a tour outside the viewer's properties."""
    tour = db.session.scalar(visible_tours(current_user, sa.select(Tour).where(Tour.id == tour_id)))
    if tour is None:
        abort(404, description="No such tour among yours.")
    now = utcnow()
    return render_template(
        "staff/brief.html",
        brief=tour_brief(tour, geo_settings()),
        tour=tour,
        can_check_in=can_check_in(tour, now),
        can_start_video=can_start_video(tour, now),
        form=EmptyForm(),
        topic_labels=TOPICS,
        importance_labels=IMPORTANCE_LEVELS,
    )
