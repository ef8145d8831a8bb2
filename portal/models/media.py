"""Photos, floor plans, window views and virtual-tour media of a property or unit."""

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import column_in

if TYPE_CHECKING:
    from portal.models.content import MediaAsset
    from portal.models.property import Property
    from portal.models.unit import Unit

MEDIA_KINDS = ("photo", "floor_plan", "window_view", "virtual_tour", "video")


class Media(db.Model):
    __tablename__ = "media"
    __table_args__ = (
        sa.CheckConstraint(column_in("kind", MEDIA_KINDS), name="kind_known"),
        # A window view only means something with the room and floor it was taken from.
        sa.CheckConstraint(
            "kind != 'window_view' OR "
            "(room IS NOT NULL AND floor IS NOT NULL AND orientation IS NOT NULL)",
            name="window_view_located",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    property_id: Mapped[int] = mapped_column(sa.ForeignKey("property.id", ondelete="CASCADE"))
    unit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("unit.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(16))
    url: Mapped[str] = mapped_column(sa.String(500))
    alt_text: Mapped[str] = mapped_column(sa.String(300))
    caption: Mapped[str] = mapped_column(sa.String(300), default="")
    room: Mapped[str | None] = mapped_column(sa.String(60))
    floor: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)
    # Set for studio uploads (served from MEDIA_DIR); None for files in the static tree
    # (the demo's drawings) and for video embeds, whose ``url`` is the embed address.
    asset_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("media_asset.id", ondelete="RESTRICT")
    )
    # Which way the window looks (a window view), one of ``unit.ORIENTATIONS``.
    orientation: Mapped[str | None] = mapped_column(sa.String(2))
    # Panoramas: links to other rooms' panoramas, ``[{"room", "yaw", "pitch"}]``.
    hotspots: Mapped[list[dict]] = mapped_column(sa.JSON, default=list)

    asset: Mapped["MediaAsset | None"] = relationship(lazy="joined")

    property: Mapped["Property"] = relationship()
    unit: Mapped["Unit | None"] = relationship(back_populates="media")
