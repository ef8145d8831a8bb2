"""The demo marketer's content as the studio's first published revisions.

Every community and home gets revision 1, published by the demo marketer, from the
content the loader wrote (descriptions turned into Markdown with highlights and a
neighbourhood text), so `make run` shows a history to compare and restore. The first
community also gets two 360° panoramas (drawn here with Pillow, stored like uploads)
with hotspots between the rooms. Idempotent: a subject with a revision is left alone.
"""

import io
import math
from datetime import UTC, date, datetime, time

import sqlalchemy as sa
from flask import current_app
from PIL import Image, ImageDraw

from portal.extensions import db
from portal.models import ContentRevision, Property, StaffUser, Unit
from portal.studio.content import Subject, live_snapshot
from portal.studio.images import process_upload
from portal.studio.media_store import store_asset
from portal.studio.revisions import publish

DEMO_MARKETER = "marketer@doorstep.example"
PANORAMA_ROOMS = (("Living room", (214, 196, 170), 90), ("Kitchen", (196, 212, 220), 270))


def load_studio_content(today: date) -> int:
    """Publish revision 1 of every demo subject that has none (flushes); returns how many."""
    marketer = db.session.scalar(sa.select(StaffUser).where(StaffUser.email == DEMO_MARKETER))
    if marketer is None:
        return 0
    published = set(db.session.scalars(sa.select(ContentRevision.subject)))
    # A fixed morning, so the history reads the same on every machine and run.
    now = datetime.combine(today, time(8, 0), tzinfo=UTC)
    added = 0
    properties = db.session.scalars(sa.select(Property).order_by(Property.id)).all()
    for index, prop in enumerate(properties):
        subject = Subject("property", prop)
        if subject.key not in published:
            content = _property_content(prop, live_snapshot(subject), with_panoramas=index == 0)
            publish(
                subject, content, base_revision_id=None, draft_version=0, staff=marketer, now=now
            )
            added += 1
        for unit in db.session.scalars(sa.select(Unit).where(Unit.property_id == prop.id)):
            unit_subject = Subject("unit", prop, unit)
            if unit_subject.key in published:
                continue
            publish(
                unit_subject,
                live_snapshot(unit_subject),
                base_revision_id=None,
                draft_version=0,
                staff=marketer,
                now=now,
            )
            added += 1
    return added


def _property_content(prop: Property, content: dict, *, with_panoramas: bool) -> dict:
    amenities = content["amenities"]
    content["highlights"] = "\n".join(
        [f"**{prop.tagline}**", ""] + [f"- {a}" for a in amenities[:4]]
    )
    content["neighbourhood"] = (
        f"Everyday errands from {prop.street} are on foot: see the walking minutes to "
        "shops, schools and parks below, and the public transport lines nearby."
    )
    if with_panoramas:
        content["media"] = [m for m in content["media"] if m["kind"] != "virtual_tour"]
        content["media"] += _demo_panoramas(prop)
    return content


def _demo_panoramas(prop: Property) -> list[dict]:
    config = current_app.config
    items = []
    for room, colour, yaw_to_other in PANORAMA_ROOMS:
        other = next(r for r, _, _ in PANORAMA_ROOMS if r != room)
        image = process_upload(
            _panorama_jpeg(colour),
            max_bytes=int(config["MEDIA_MAX_UPLOAD_MB"] * 1_000_000),
            max_pixels=config["MEDIA_MAX_MEGAPIXELS"] * 1_000_000,
            panorama=True,
        )
        asset = store_asset(image, config["MEDIA_DIR"], None)
        items.append(
            {
                "kind": "virtual_tour",
                "asset": asset.key,
                "url": "",
                "alt_text": f"360° panorama of the {room.lower()} of a home at {prop.name}",
                "caption": f"{room}: drag to look around",
                "room": room,
                "floor": None,
                "orientation": None,
                "hotspots": [{"room": other, "yaw": yaw_to_other, "pitch": 0}],
            }
        )
    return items


def _panorama_jpeg(colour: tuple[int, int, int], width: int = 2048) -> bytes:
    """An equirectangular room: floor, walls with windows and a door, ceiling."""
    height = width // 2
    image = Image.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, height * 0.3), fill=(245, 245, 240))  # ceiling
    draw.rectangle((0, height * 0.68, width, height), fill=(150, 110, 75))  # parquet
    for i in range(4):  # one window per wall, a door on the last
        x = width * (i + 0.5) / 4
        if i == 3:
            draw.rectangle((x - 60, height * 0.38, x + 60, height * 0.68), fill=(120, 90, 60))
        else:
            draw.rectangle((x - 120, height * 0.36, x + 120, height * 0.58), fill=(170, 205, 235))
            draw.line((x, height * 0.36, x, height * 0.58), fill=(255, 255, 255), width=6)
    for i in range(0, width, 64):  # floorboards, bent as the projection bends them
        sway = int(10 * math.sin(i / width * 2 * math.pi))
        draw.line((i, height * 0.68 + sway, i, height), fill=(135, 98, 66), width=2)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
