"""All models, imported here so Alembic and the app see one complete metadata."""

from portal.models.availability import (
    GRID_MINUTES,
    TOUR_KINDS,
    AgentHours,
    AgentOverride,
    OpeningHours,
    PropertyAgent,
    PropertyHoliday,
    TourType,
)
from portal.models.media import MEDIA_KINDS, Media
from portal.models.outbox import OUTBOX_STATUSES, OutboxEmail
from portal.models.property import INTERNET_TECHNOLOGIES, InternetService, Property
from portal.models.prospect import Prospect
from portal.models.staff import STAFF_ROLES, StaffUser
from portal.models.tour import (
    ACTIVE_STATUSES,
    CONTACT_CHANNELS,
    TOUR_STATUSES,
    SlotCapacity,
    SlotClaim,
    Tour,
    TourReminder,
    TourStatusChange,
)
from portal.models.unit import ORIENTATIONS, UNIT_STATUSES, Unit

__all__ = [
    "ACTIVE_STATUSES",
    "CONTACT_CHANNELS",
    "GRID_MINUTES",
    "TOUR_KINDS",
    "TOUR_STATUSES",
    "AgentHours",
    "AgentOverride",
    "OpeningHours",
    "PropertyAgent",
    "PropertyHoliday",
    "SlotCapacity",
    "SlotClaim",
    "Tour",
    "TourReminder",
    "TourStatusChange",
    "TourType",
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
