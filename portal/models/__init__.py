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
from portal.models.contact_preference import CONTACT_CHANNELS, CONTACT_PACES, ContactPreference
from portal.models.favourite import Favourite
from portal.models.geo import (
    COMMUTE_MODES,
    CommuteDestination,
    GeoAddress,
    GeoPlace,
    GeoRegion,
    NeighbourhoodSummary,
    StopWalks,
    TransitRoute,
)
from portal.models.magic_link import MagicLink
from portal.models.media import MEDIA_KINDS, Media
from portal.models.outbox import OUTBOX_STATUSES, OutboxEmail
from portal.models.priorities import PRIORITY_SOURCES, PriorityVersion
from portal.models.property import INTERNET_TECHNOLOGIES, InternetService, Property
from portal.models.prospect import LIFECYCLE_STAGES, Prospect
from portal.models.signals import SIGNAL_KINDS, BrowsingSignal
from portal.models.staff import STAFF_ROLES, StaffUser
from portal.models.tour import (
    ACTIVE_STATUSES,
    TOUR_CONTACT_CHANNELS,
    TOUR_STATUSES,
    SlotCapacity,
    SlotClaim,
    Tour,
    TourReminder,
    TourStatusChange,
)
from portal.models.unit import ORIENTATIONS, UNIT_STATUSES, Unit

__all__ = [
    "CONTACT_CHANNELS",
    "CONTACT_PACES",
    "LIFECYCLE_STAGES",
    "PRIORITY_SOURCES",
    "SIGNAL_KINDS",
    "BrowsingSignal",
    "ContactPreference",
    "Favourite",
    "MagicLink",
    "PriorityVersion",
    "ACTIVE_STATUSES",
    "TOUR_CONTACT_CHANNELS",
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
    "COMMUTE_MODES",
    "CommuteDestination",
    "GeoAddress",
    "GeoPlace",
    "GeoRegion",
    "NeighbourhoodSummary",
    "StopWalks",
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
