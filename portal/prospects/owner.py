"""Rows owned by a prospect or, before sign-in, by an anonymous visitor id."""

import sqlalchemy as sa

from portal.models import Prospect


def owner_clause(model, prospect: Prospect | None, visitor_id: str | None):
    """WHERE clause selecting ``model`` rows of this prospect or visitor (none if neither)."""
    if prospect is not None:
        return model.prospect_id == prospect.id
    if visitor_id:
        return model.visitor_id == visitor_id
    return sa.false()


def owner_values(prospect: Prospect | None, visitor_id: str | None) -> dict:
    """Column values for a new row; a signed-in prospect always wins over the visitor id."""
    if prospect is not None:
        return {"prospect_id": prospect.id, "visitor_id": None}
    if not visitor_id:
        raise ValueError("a row belongs to a prospect or a visitor")
    return {"prospect_id": None, "visitor_id": visitor_id}
