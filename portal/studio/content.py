"""What the studio edits, as one plain snapshot per subject, and how a snapshot goes live.

A community's snapshot holds its texts (Markdown), amenities, internet service and
building media; a unit's holds its description and media. Drafts and revisions store
these snapshots; :func:`apply_snapshot` writes one onto the rows the public pages read,
rendering and sanitising every text once, at publish time.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from portal.extensions import db
from portal.models import InternetService, Media, MediaAsset, Property, Unit
from portal.models.content import subject_key
from portal.studio.sanitise import render_markdown

# The longest Markdown text taken (a long description is ~3,000 characters).
TEXT_LIMIT = 20_000
PROPERTY_TEXTS = {
    "description": "Description",
    "highlights": "Highlights",
    "neighbourhood": "Neighbourhood",
}
UNIT_TEXTS = {"description": "Description"}
MEDIA_LABELS = {
    "photo": "Photo",
    "floor_plan": "Floor plan",
    "window_view": "Window view",
    "virtual_tour": "360° panorama",
    "video": "Video",
}
PROPERTY_MEDIA_KINDS = ("photo", "virtual_tour", "video")
UNIT_MEDIA_KINDS = ("photo", "floor_plan", "window_view", "virtual_tour", "video")


@dataclass(frozen=True)
class Subject:
    """A community's or a unit's content, as the studio addresses it."""

    kind: str  # "property" or "unit"
    property: Property
    unit: Unit | None = None

    @property
    def id(self) -> int:
        return self.unit.id if self.unit else self.property.id

    @property
    def key(self) -> str:
        return subject_key(self.kind, self.id)

    @property
    def row_columns(self) -> dict:
        """The columns that tie a draft or a revision to this subject."""
        return {
            "subject": self.key,
            "subject_kind": self.kind,
            "property_id": self.property.id,
            "unit_id": self.unit.id if self.unit else None,
        }

    @property
    def label(self) -> str:
        if self.unit:
            return f"{self.property.name}, {self.unit.number} ({self.unit.title})"
        return self.property.name

    @property
    def texts(self) -> dict[str, str]:
        return UNIT_TEXTS if self.unit else PROPERTY_TEXTS

    @property
    def media_kinds(self) -> tuple[str, ...]:
        return UNIT_MEDIA_KINDS if self.unit else PROPERTY_MEDIA_KINDS


def find_subject(kind: str, subject_id: int) -> Subject | None:
    if kind == "property":
        prop = db.session.get(Property, subject_id)
        return Subject("property", prop) if prop else None
    if kind == "unit":
        unit = db.session.get(Unit, subject_id)
        return Subject("unit", unit.property, unit) if unit else None
    return None


def media_item(media: Media) -> dict:
    """One media row as it is kept in a snapshot."""
    return {
        "kind": media.kind,
        "asset": media.asset.key if media.asset else None,
        "url": "" if media.asset else media.url,
        "alt_text": media.alt_text,
        "caption": media.caption or "",
        "room": media.room,
        "floor": media.floor,
        "orientation": media.orientation,
        "hotspots": list(media.hotspots or []),
    }


def _subject_media(subject: Subject) -> list[Media]:
    stmt = sa.select(Media).where(Media.property_id == subject.property.id)
    if subject.unit:
        stmt = stmt.where(Media.unit_id == subject.unit.id)
    else:
        stmt = stmt.where(Media.unit_id.is_(None))
    return list(db.session.scalars(stmt.order_by(Media.position, Media.id)))


def live_snapshot(subject: Subject) -> dict:
    """The subject's content as the public pages show it now."""
    media = [media_item(m) for m in _subject_media(subject)]
    if subject.unit:
        return {"description": subject.unit.description or "", "media": media}
    prop = subject.property
    return {
        "description": prop.description or "",
        "highlights": prop.highlights or "",
        "neighbourhood": prop.neighbourhood_blurb or "",
        "amenities": list(prop.amenities or []),
        "internet": [
            {
                "provider": s.provider,
                "technology": s.technology,
                "down": s.max_down_mbps,
                "up": s.max_up_mbps,
            }
            for s in prop.internet_services
        ],
        "media": media,
    }


def apply_snapshot(subject: Subject, content: dict) -> None:
    """Make ``content`` what the public pages show (flushes; the caller commits)."""
    if subject.unit:
        subject.unit.description = content["description"]
        subject.unit.description_html = render_markdown(content["description"]).html
    else:
        prop = subject.property
        prop.description = content["description"]
        prop.highlights = content["highlights"]
        prop.neighbourhood_blurb = content["neighbourhood"]
        prop.description_html = render_markdown(content["description"]).html
        prop.highlights_html = render_markdown(content["highlights"]).html
        prop.neighbourhood_html = render_markdown(content["neighbourhood"]).html
        prop.amenities = list(content["amenities"])
        prop.internet_services.clear()
        db.session.flush()  # the unique (provider, technology) must be free before re-adding
        prop.internet_services.extend(
            InternetService(
                provider=s["provider"],
                technology=s["technology"],
                max_down_mbps=s["down"],
                max_up_mbps=s["up"],
            )
            for s in content["internet"]
        )
    for media in _subject_media(subject):
        db.session.delete(media)
    db.session.flush()
    assets = assets_by_key(item["asset"] for item in content["media"])
    for position, item in enumerate(content["media"]):
        asset = assets.get(item["asset"]) if item["asset"] else None
        db.session.add(
            Media(
                property_id=subject.property.id,
                unit_id=subject.unit.id if subject.unit else None,
                kind=item["kind"],
                url=item["url"] if asset is None else "",
                asset=asset,
                alt_text=item["alt_text"],
                caption=item["caption"],
                room=item["room"],
                floor=item["floor"],
                orientation=item["orientation"],
                hotspots=item["hotspots"],
                position=position * 10,
            )
        )
    db.session.flush()
    # Relationships loaded before the swap would still list the old rows.
    db.session.expire(subject.property, ["media", "internet_services"])
    if subject.unit:
        db.session.expire(subject.unit, ["media"])


def unstored_uploads(content: dict) -> list[str]:
    """Messages for media items whose upload is not stored (its save was rolled back)."""
    items = [(n, item) for n, item in enumerate(content["media"], 1) if item["asset"]]
    stored = assets_by_key(item["asset"] for _, item in items)
    return [
        f"Media item {n}: this image is no longer stored (its save did not go through). "
        "Remove it and upload the file again."
        for n, item in items
        if item["asset"] not in stored
    ]


def assets_by_key(keys) -> dict[str, MediaAsset]:
    wanted = {k for k in keys if k}
    if not wanted:
        return {}
    rows = db.session.scalars(sa.select(MediaAsset).where(MediaAsset.key.in_(wanted)))
    return {a.key: a for a in rows}
