"""A rentable apartment in a property. Each unit is one listing."""

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import UTCDateTime, column_in, utcnow
from portal.models.content import SanitisedHTML

if TYPE_CHECKING:
    from portal.models.media import Media
    from portal.models.property import Property

UNIT_STATUSES = ("available", "reserved", "leased", "off_market")
ORIENTATIONS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")


class Unit(db.Model):
    __tablename__ = "unit"
    __table_args__ = (
        sa.UniqueConstraint("property_id", "number"),
        sa.CheckConstraint("bedrooms >= 0 AND bedrooms <= 10", name="bedrooms_range"),
        sa.CheckConstraint("bathrooms >= 1", name="bathrooms_min"),
        sa.CheckConstraint("area_m2 > 0", name="area_positive"),
        sa.CheckConstraint("rent_eur > 0", name="rent_positive"),
        sa.CheckConstraint(column_in("status", UNIT_STATUSES), name="status_known"),
        sa.Index("ix_unit_search", "status", "rent_eur"),
        # Commute search counts and prices listings per building, and fetches the
        # listings of a batch of buildings: both read this index alone.
        sa.Index("ix_unit_building_search", "property_id", "status", "rent_eur", "bedrooms"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(sa.ForeignKey("property.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(sa.String(16))
    floor: Mapped[int]
    bedrooms: Mapped[int]
    bathrooms: Mapped[Decimal] = mapped_column(sa.Numeric(3, 1))
    area_m2: Mapped[Decimal] = mapped_column(sa.Numeric(6, 1))
    rent_eur: Mapped[int]
    available_from: Mapped[date]
    orientation: Mapped[str] = mapped_column(sa.String(2))
    view: Mapped[str] = mapped_column(sa.String(200), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown
    description_html: Mapped[str] = mapped_column(SanitisedHTML, default="")  # as published
    status: Mapped[str] = mapped_column(sa.String(16), default="available")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @property
    def title(self) -> str:
        return home_title(self.bedrooms, self.area_m2, self.floor)

    def media_of(self, kind: str) -> list["Media"]:
        return [m for m in self.media if m.kind == kind]

    def __repr__(self) -> str:
        return f"<Unit {self.property_id}/{self.number}>"

    # Declared last: the name `property` would shadow the builtin decorator above it.
    property: Mapped["Property"] = relationship(back_populates="units")
    media: Mapped[list["Media"]] = relationship(back_populates="unit", order_by="Media.position")


def home_title(bedrooms: int, area_m2, floor: int) -> str:
    """A home as listings name it: "2-bedroom, 54.5 m², floor 3" (also from bare columns)."""
    rooms = "Studio" if bedrooms == 0 else f"{bedrooms}-bedroom"
    return f"{rooms}, {float(area_m2):g} m², floor {floor}"
