"""A community (property) and the internet service available in it."""

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, column_in, utcnow
from portal.models.content import SanitisedHTML

if TYPE_CHECKING:
    from portal.models.media import Media
    from portal.models.unit import Unit

# What an instant tour type does for a booker whose email address is not confirmed yet
# (not signed in as its owner): "capped" confirms at once up to the caps in
# ``portal.tours.booking_limits``, beyond them it waits for the emailed link; "link"
# always waits for the visitor to confirm from the emailed link (README "Booking limits").
UNVERIFIED_INSTANT_MODES = ("capped", "link")


class Property(db.Model):
    __tablename__ = "property"
    __table_args__ = (
        sa.CheckConstraint("lat BETWEEN -90 AND 90", name="lat_range"),
        sa.CheckConstraint("lon BETWEEN -180 AND 180", name="lon_range"),
        sa.CheckConstraint(
            column_in("unverified_instant", UNVERIFIED_INSTANT_MODES),
            name="unverified_instant_known",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    street: Mapped[str] = mapped_column(sa.String(120))
    housenumber: Mapped[str] = mapped_column(sa.String(20))
    postcode: Mapped[str] = mapped_column(sa.String(12), default="")
    city: Mapped[str] = mapped_column(sa.String(80))
    lat: Mapped[float]
    lon: Mapped[float]
    time_zone: Mapped[str] = mapped_column(sa.String(64))
    tagline: Mapped[str] = mapped_column(sa.String(200), default="")
    # Markdown as the marketer wrote it; the *_html columns are its sanitised rendering,
    # set when the studio publishes (the public page shows only those).
    description: Mapped[str] = mapped_column(sa.Text, default="")
    highlights: Mapped[str] = mapped_column(sa.Text, default="")
    neighbourhood_blurb: Mapped[str] = mapped_column(sa.Text, default="")
    description_html: Mapped[str] = mapped_column(SanitisedHTML, default="")
    highlights_html: Mapped[str] = mapped_column(SanitisedHTML, default="")
    neighbourhood_html: Mapped[str] = mapped_column(SanitisedHTML, default="")
    amenities: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    year_built: Mapped[int | None]
    floors: Mapped[int | None]
    unverified_instant: Mapped[str] = mapped_column(sa.String(8), default="capped")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    units: Mapped[list["Unit"]] = relationship(
        back_populates="property", order_by="Unit.floor, Unit.number"
    )
    internet_services: Mapped[list["InternetService"]] = relationship(
        back_populates="property",
        cascade="all, delete-orphan",
        order_by="InternetService.max_down_mbps.desc()",
    )
    # Building-level media only (facade, shared spaces, virtual tours); units own theirs.
    media: Mapped[list["Media"]] = relationship(
        primaryjoin="and_(Media.property_id == Property.id, Media.unit_id.is_(None))",
        order_by="Media.position",
        viewonly=True,
    )

    @property
    def address(self) -> str:
        line = f"{self.street} {self.housenumber}"
        return f"{line}, {self.postcode} {self.city}".replace(",  ", ", ")

    @property
    def best_internet(self) -> "InternetService | None":
        return self.internet_services[0] if self.internet_services else None

    def __repr__(self) -> str:
        return f"<Property {self.slug}>"


INTERNET_TECHNOLOGIES = ("fibre", "cable", "dsl", "5g", "4g")


def _speed(mbps: int) -> str:
    return f"{mbps / 1000:g} Gbit/s" if mbps >= 1000 else f"{mbps} Mbit/s"


class InternetService(db.Model):
    """One provider's offer at a property, as entered by staff (not in OSM)."""

    __tablename__ = "internet_service"
    __table_args__ = (
        sa.UniqueConstraint("property_id", "provider", "technology"),
        sa.CheckConstraint("max_down_mbps > 0 AND max_up_mbps > 0", name="speeds_positive"),
        sa.CheckConstraint(column_in("technology", INTERNET_TECHNOLOGIES), name="technology_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(sa.ForeignKey("property.id", ondelete="CASCADE"))
    provider: Mapped[str] = mapped_column(sa.String(80))
    technology: Mapped[str] = mapped_column(sa.String(16))
    max_down_mbps: Mapped[int]
    max_up_mbps: Mapped[int]

    @property
    def speed_label(self) -> str:
        return f"{_speed(self.max_down_mbps)} down / {_speed(self.max_up_mbps)} up"

    @property
    def technology_label(self) -> str:
        return (
            self.technology.upper() if self.technology in ("4g", "5g") else self.technology.title()
        )

    @property
    def short_label(self) -> str:
        """E.g. "Fibre 1 Gbit/s": the one line a listing card has room for."""
        return f"{self.technology_label} {_speed(self.max_down_mbps)}"

    # Declared last: the name `property` would shadow the builtin decorator above it.
    property: Mapped[Property] = relationship(back_populates="internet_services")
