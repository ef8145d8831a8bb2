"""Imported OpenStreetMap data and neighbourhood summaries.

A region is one imported extract. Its routing files live on disk under
``data_dir`` (instance folder, never committed); its places, addresses and transit
routes live here. A re-import writes a new data_dir and swaps the rows in one
transaction, so a failed import leaves the previous region untouched.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.geo.coverage import Outline, outline_of
from portal.models.base import UTCDateTime, utcnow


class GeoRegion(db.Model):
    __tablename__ = "geo_region"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    source_name: Mapped[str] = mapped_column(sa.String(255))
    data_dir: Mapped[str] = mapped_column(sa.String(500))
    min_lat: Mapped[float]
    min_lon: Mapped[float]
    max_lat: Mapped[float]
    max_lon: Mapped[float]
    stats: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # How the region writes addresses (portal.geo.address_style): ISO country code, and
    # the house number's place when it differs from the country's ("" = the country's).
    country: Mapped[str] = mapped_column(sa.String(2), default="")
    address_order: Mapped[str] = mapped_column(sa.String(12), default="")
    city: Mapped[str] = mapped_column(sa.String(100), default="")  # shown when an address has none
    # The street network's buffered outline as grid rows (portal.geo.coverage); None for
    # regions imported before outlines existed, which fall back to the bounding box.
    coverage: Mapped[dict | None] = mapped_column(sa.JSON, default=None, deferred=True)

    def covers(self, lat: float, lon: float) -> bool:
        """Is the point inside the region's street-network outline?"""
        return self.outline.contains(lat, lon)

    @property
    def outline(self) -> Outline:
        """The box and outline as plain values (read from the row once per import)."""
        box = (self.min_lat, self.min_lon, self.max_lat, self.max_lon)
        return outline_of(self.data_dir, box, lambda: self.coverage)

    @property
    def label(self) -> str:
        """The region's city for people ("Bristol"), else its name."""
        return self.city or self.name.replace("_", " ").replace("-", " ").title()


class GeoPlace(db.Model):
    """A point of interest; areas (parks mapped as ways or multipolygons) at their centroid."""

    __tablename__ = "geo_place"
    __table_args__ = (sa.Index("ix_geo_place_region_category", "region_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("geo_region.id", ondelete="CASCADE"))
    osm_type: Mapped[str] = mapped_column(sa.String(8))
    osm_id: Mapped[int] = mapped_column(sa.BigInteger)
    category: Mapped[str] = mapped_column(sa.String(20))
    kind: Mapped[str] = mapped_column(sa.String(40))
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    lat: Mapped[float]
    lon: Mapped[float]


class GeoAddress(db.Model):
    """One `addr:street` + `addr:housenumber` from the extract: the offline gazetteer."""

    __tablename__ = "geo_address"
    __table_args__ = (sa.Index("ix_geo_address_region_street", "region_id", "street_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("geo_region.id", ondelete="CASCADE"))
    street: Mapped[str] = mapped_column(sa.String(200))
    street_key: Mapped[str] = mapped_column(sa.String(200))
    housenumber: Mapped[str] = mapped_column(sa.String(40))
    number: Mapped[int | None]
    postcode: Mapped[str] = mapped_column(sa.String(20), default="")
    city: Mapped[str] = mapped_column(sa.String(100), default="")
    lat: Mapped[float]
    lon: Mapped[float]


class TransitRoute(db.Model):
    """An OSM route relation (bus, tram, metro, train, ferry) as its ordered stops."""

    __tablename__ = "transit_route"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("geo_region.id", ondelete="CASCADE"))
    mode: Mapped[str] = mapped_column(sa.String(20))
    ref: Mapped[str] = mapped_column(sa.String(40), default="")
    name: Mapped[str] = mapped_column(sa.String(200), default="")
    stops: Mapped[list] = mapped_column(sa.JSON, default=list)  # [[lat, lon], ...] in order


class BuildingAccess(db.Model):
    """How a building meets the networks, routed at import or on save.

    Neither depends on where anyone commutes to, so a new process reads them instead
    of routing every building on its first search: the metres from the building to
    where it snaps on each mode's network (for commute bounds) and its walks to the
    transit stops within reach (for the transit estimate).
    """

    __tablename__ = "building_access"
    __table_args__ = (
        sa.UniqueConstraint("region_id", "lat", "lon", name="uq_building_access_point"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("geo_region.id", ondelete="CASCADE"))
    lat: Mapped[float]
    lon: Mapped[float]
    snaps: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # {mode: metres}
    # {"stops": fingerprint of the estimator's stop list, "legs": [[stop, s, m], ...]}
    walks: Mapped[dict] = mapped_column(sa.JSON, default=dict)


class NeighbourhoodSummary(db.Model):
    """Precomputed neighbourhood facts for one property (see portal.geo.neighbourhood)."""

    __tablename__ = "neighbourhood_summary"

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(
        sa.ForeignKey("property.id", ondelete="CASCADE"), unique=True
    )
    region_id: Mapped[int] = mapped_column(sa.ForeignKey("geo_region.id", ondelete="CASCADE"))
    origin_lat: Mapped[float]
    origin_lon: Mapped[float]
    walkability: Mapped[int]
    transit_access: Mapped[int]
    facts: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
