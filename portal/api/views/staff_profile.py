"""GET /api/v1/staff/me: whom the bearer token acts as, so a script can check its token."""

from flask import g, jsonify

from portal.api.staff_auth import current_staff, staff_token_required
from portal.api.views import bp
from portal.staff.visibility import member_property_ids, sees_everything, sees_personal_data


@bp.get("/staff/me")
@staff_token_required
def staff_me():
    staff = current_staff()
    token = g.staff_token
    return jsonify(
        {
            "id": staff.id,
            "name": staff.name,
            "email": staff.email,
            "role": staff.role,
            "property_ids": None if sees_everything(staff) else sorted(member_property_ids(staff)),
            "sees_personal_data": sees_personal_data(staff),
            "token": {
                "name": token.name,
                "prefix": token.prefix,
                "expires_at": token.expires_at.isoformat() if token.expires_at else None,
            },
        }
    )
