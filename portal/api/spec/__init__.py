"""The OpenAPI 3.1 document for /api/v1, assembled from one section per area.

Each section module exposes ``PATHS`` and ``SCHEMAS``; add a new area to ``SECTIONS``.
Tests validate real responses against the assembled document.
"""

from portal.api.spec import (
    common,
    geo,
    listings,
    neighbourhood,
    staff_brief,
    staff_capture,
    staff_followups,
    staff_profile,
    staff_prospects,
    staff_tours,
    tours,
)

SECTIONS = [
    listings,
    geo,
    neighbourhood,
    tours,
    staff_profile,
    staff_tours,
    staff_brief,
    staff_capture,
    staff_prospects,
    staff_followups,
]


def openapi_document(server_url: str = "/api/v1") -> dict:
    paths: dict = {}
    schemas: dict = {"Error": common.ERROR}
    for section in SECTIONS:
        overlap = (paths.keys() & section.PATHS.keys()) | (schemas.keys() & section.SCHEMAS.keys())
        if overlap:
            raise ValueError(f"{section.__name__} redefines {sorted(overlap)}")
        paths |= section.PATHS
        schemas |= section.SCHEMAS
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Doorstep prospect portal API",
            "version": "1",
            "description": "Listings, commute, tours and prospects of apartment communities. "
            "Errors share one shape: `{error: {code, message, fields?}}`. The `/staff` "
            "operations need a staff API token (`Authorization: Bearer <token>`).",
        },
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {"schemas": schemas, "securitySchemes": common.SECURITY_SCHEMES},
    }
