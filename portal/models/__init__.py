"""All models, imported here so Alembic and the app see one complete metadata."""

from portal.models.geo import (
    COMMUTE_MODES,
    CommuteDestination,
    GeoAddress,
    GeoPlace,
    GeoRegion,
    NeighbourhoodSummary,
    TransitRoute,
)
from portal.models.media import MEDIA_KINDS, Media
from portal.models.outbox import OUTBOX_STATUSES, OutboxEmail
from portal.models.property import INTERNET_TECHNOLOGIES, InternetService, Property
from portal.models.prospect import Prospect
from portal.models.staff import STAFF_ROLES, StaffUser
from portal.models.unit import ORIENTATIONS, UNIT_STATUSES, Unit

__all__ = [
    "COMMUTE_MODES",
    "CommuteDestination",
    "GeoAddress",
    "GeoPlace",
    "GeoRegion",
    "NeighbourhoodSummary",
    "TransitRoute",
    "INTERNET_TECHNOLOGIES",
    "MEDIA_KINDS",
    "OUTBOX_STATUSES",
    "ORIENTATIONS",
    "STAFF_ROLES",
    "UNIT_STATUSES",
    "InternetService",
    "Media",
    "OutboxEmail",
    "Property",
    "Prospect",
    "StaffUser",
    "Unit",
]
