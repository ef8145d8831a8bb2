"""Builders for the studio tests: a signed-in marketer and the editor form's fields."""

import io

from PIL import Image

from portal.extensions import db
from portal.studio.content import find_subject
from portal.studio.forms import form_data
from portal.studio.revisions import editing_state
from tests.factories import STAFF_PASSWORD, gen_staff


def sign_in_marketer(client, auth, role="marketer"):
    user = gen_staff(role)
    db.session.commit()
    auth.login(user.email, STAFF_PASSWORD)
    return user


def editor_fields(kind: str, subject_id: int, **changes) -> dict:
    """The form as the editor page opens it, flattened to POST fields, with ``changes``."""
    subject = find_subject(kind, subject_id)
    state = editing_state(subject)
    data = form_data(state.content, state.base_revision_id, state.draft_version)
    fields = {k: v for k, v in data.items() if k != "media"}
    for index, item in enumerate(data["media"]):
        for name, value in item.items():
            fields[f"media-{index}-{name}"] = "" if value is None else str(value)
    fields.update(changes)
    return fields


def jpeg_bytes(width=1200, height=800, *, gps=False, fmt="JPEG") -> bytes:
    image = Image.new("RGB", (width, height), (120, 160, 200))
    buffer = io.BytesIO()
    options = {}
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"
        exif[0x8825] = {1: "N", 2: (60.0, 10.0, 30.0), 3: "E", 4: (24.0, 56.0, 10.0)}
        options["exif"] = exif
    image.save(buffer, fmt, **options)
    return buffer.getvalue()
