"""The studio's forms: one editor form per subject (texts, lists, media, a new upload)."""

import re

from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from portal.input_limits import BoundedForm, PlainText, parse_db_id
from portal.models import INTERNET_TECHNOLOGIES, MEDIA_KINDS, ORIENTATIONS
from portal.studio.content import MEDIA_LABELS, TEXT_LIMIT

_TEXT_LENGTH = Length(
    max=TEXT_LIMIT,
    message=f"Texts are limited to {TEXT_LIMIT:,} characters; shorten this one.",
)
_STATIC_SOURCE = re.compile(r"img/[a-z0-9_-]+(?:/[a-z0-9_-]+)*\.(?:svg|png|jpg|webp)")
_ASSET_KEY = re.compile(r"[0-9a-f]{32}")
_HOTSPOT = re.compile(r"\s*(?P<room>[^@]{1,60}?)\s*@\s*(?P<yaw>-?[0-9]{1,3})\s*")
ORIENTATION_CHOICES = [SelectChoice("", "—")] + [SelectChoice(o, o) for o in ORIENTATIONS]


def _located(item) -> list[str]:
    if item["kind"] != "window_view":
        return []
    missing = [n for n in ("room", "floor", "orientation") if item.get(n) in (None, "")]
    return [f"A window view needs its {', '.join(missing)}."] if missing else []


class MediaItemForm(Form):
    """One existing media item: its source is fixed, everything a reader sees is editable."""

    kind = HiddenField()
    source = HiddenField()
    alt_text = StringField(
        "Alt text",
        [
            PlainText(),
            DataRequired("Describe the image for people who cannot see it."),
            Length(max=300),
        ],
    )
    caption = StringField("Caption", [PlainText(), Optional(), Length(max=300)])
    room = StringField("Room", [PlainText(), Optional(), Length(max=60)])
    floor = IntegerField("Floor", [Optional(), NumberRange(-5, 200)])
    # Shown for window views only; other kinds send none.
    orientation = SelectField("Facing", choices=ORIENTATION_CHOICES, validate_choice=False)
    hotspots = StringField("Links to rooms", [PlainText(), Optional(), Length(max=300)])
    position = IntegerField("Order", [Optional(), NumberRange(0, 999)])
    remove = BooleanField("Remove")

    def validate_kind(self, field):
        if field.data not in MEDIA_KINDS:
            raise ValidationError("Unknown media kind.")

    def validate_orientation(self, field):
        if field.data and field.data not in ORIENTATIONS:
            raise ValidationError("Choose a compass direction.")

    def validate_source(self, field):
        value = field.data or ""
        if self.kind.data == "video":
            if not value.startswith(
                ("https://www.youtube-nocookie.com/embed/", "https://player.vimeo.com/video/")
            ):
                raise ValidationError("That video is not from an allowed host.")
        elif not (_ASSET_KEY.fullmatch(value) or _STATIC_SOURCE.fullmatch(value)):
            raise ValidationError("Unknown media file.")

    def validate_hotspots(self, field):
        for part in filter(None, (p.strip() for p in (field.data or "").split(";"))):
            if not _HOTSPOT.fullmatch(part):
                raise ValidationError(
                    'Write links as "Kitchen @ 90; Bedroom @ 200" (room @ degrees).'
                )


def error_messages(form) -> list[str]:
    """Every error of ``form`` as "Label: message", media items' errors numbered."""
    messages = []
    for name, errors in form.errors.items():
        if name == "media":
            for index, item_errors in enumerate(errors, 1):
                for field_name, texts in (item_errors or {}).items():
                    label = form.media.entries[index - 1].form[field_name].label.text
                    messages += [f"Media item {index}, {label}: {t}" for t in texts]
            continue
        label = form[name].label.text if name in form else name
        messages += [f"{label}: {e}" for e in errors if isinstance(e, str)]
    return messages


def parse_hotspots(text: str) -> list[dict]:
    spots = []
    for part in filter(None, (p.strip() for p in (text or "").split(";"))):
        match = _HOTSPOT.fullmatch(part)
        if match:
            spots.append({"room": match["room"], "yaw": int(match["yaw"]) % 360, "pitch": 0})
    return spots


def hotspots_text(spots: list[dict]) -> str:
    return "; ".join(f"{s['room']} @ {s['yaw']}" for s in spots or [])


class ContentForm(BoundedForm):
    """A community's or unit's content; the same form saves a draft or publishes it."""

    base_revision = HiddenField()
    draft_version = HiddenField()
    description = TextAreaField("Description (Markdown)", [_TEXT_LENGTH])
    highlights = TextAreaField("Highlights (Markdown)", [_TEXT_LENGTH])
    neighbourhood = TextAreaField("Neighbourhood (Markdown)", [_TEXT_LENGTH])
    amenities = TextAreaField("Amenities, one a line", [Length(max=4000)])
    internet = TextAreaField("Internet service, one offer a line", [Length(max=4000)])
    media = FieldList(FormField(MediaItemForm), max_entries=60)
    # A new item: an uploaded image or a video address.
    # Checked only when adding (_add_new_item): a save without a new item ignores them.
    new_kind = SelectField(
        "Kind",
        choices=[SelectChoice(k, MEDIA_LABELS[k]) for k in MEDIA_KINDS],
        validate_choice=False,
    )
    new_file = FileField("Image file (JPEG, PNG or WebP)")
    new_video = StringField("Video address", [Optional(), Length(max=500)])
    new_alt_text = StringField("Alt text", [Optional(), Length(max=300)])
    new_caption = StringField("Caption", [Optional(), Length(max=300)])
    new_room = StringField("Room", [Optional(), Length(max=60)])
    new_floor = IntegerField("Floor", [Optional(), NumberRange(-5, 200)])
    new_orientation = SelectField("Facing", choices=ORIENTATION_CHOICES, validate_choice=False)

    def __init__(self, *args, media_kinds: tuple[str, ...] = MEDIA_KINDS, **kwargs):
        super().__init__(*args, **kwargs)
        self.new_kind.choices = [SelectChoice(k, MEDIA_LABELS[k]) for k in media_kinds]

    def validate_base_revision(self, field):
        if field.data and parse_db_id(field.data) is None:
            raise ValidationError("The editor's revision is not valid; open the page again.")

    def validate_draft_version(self, field):
        if field.data and field.data != "0" and parse_db_id(field.data) is None:
            raise ValidationError("The editor's draft version is not valid; open the page again.")

    def validate_amenities(self, field):
        lines = [line.strip() for line in (field.data or "").splitlines() if line.strip()]
        if len(lines) > 40 or any(len(line) > 80 for line in lines):
            raise ValidationError("List at most 40 amenities of at most 80 characters each.")

    def validate_internet(self, field):
        for number, line in enumerate((field.data or "").splitlines(), 1):
            if line.strip() and parse_internet_line(line) is None:
                raise ValidationError(
                    f'Line {number} should read "Provider | technology | down Mbit/s | up Mbit/s"'
                    f" with a technology of {', '.join(INTERNET_TECHNOLOGIES)}."
                )
        offers = [
            parse_internet_line(line) for line in (field.data or "").splitlines() if line.strip()
        ]
        pairs = [(o["provider"].lower(), o["technology"]) for o in offers]
        if len(pairs) != len(set(pairs)):
            raise ValidationError("Each provider can list each technology once.")

    @property
    def base_revision_id(self) -> int | None:
        return parse_db_id(self.base_revision.data or "")

    @property
    def draft_version_number(self) -> int:
        return parse_db_id(self.draft_version.data or "") or 0

    def media_errors(self) -> list[str]:
        return [message for item in self.media_items() for message in _located(item)]

    def media_items(self) -> list[dict]:
        """The kept media items in their chosen order."""
        rows = []
        for index, entry in enumerate(self.media.entries):
            item = entry.form
            if item.remove.data:
                continue
            source = item.source.data or ""
            is_asset = bool(_ASSET_KEY.fullmatch(source))
            rows.append(
                (
                    item.position.data if item.position.data is not None else index,
                    index,
                    {
                        "kind": item.kind.data,
                        "asset": source if is_asset else None,
                        "url": "" if is_asset else source,
                        "alt_text": (item.alt_text.data or "").strip(),
                        "caption": (item.caption.data or "").strip(),
                        "room": (item.room.data or "").strip() or None,
                        "floor": item.floor.data,
                        "orientation": item.orientation.data or None,
                        "hotspots": parse_hotspots(item.hotspots.data),
                    },
                )
            )
        return [row for _, _, row in sorted(rows, key=lambda r: (r[0], r[1]))]

    def to_content(self, unit_subject: bool) -> dict:
        content = {"description": self.description.data or "", "media": self.media_items()}
        if unit_subject:
            return content
        content["highlights"] = self.highlights.data or ""
        content["neighbourhood"] = self.neighbourhood.data or ""
        content["amenities"] = [
            line.strip() for line in (self.amenities.data or "").splitlines() if line.strip()
        ]
        content["internet"] = [
            parse_internet_line(line)
            for line in (self.internet.data or "").splitlines()
            if line.strip()
        ]
        return content


def parse_internet_line(line: str) -> dict | None:
    parts = [p.strip() for p in line.split("|")]
    if len(parts) != 4 or not parts[0] or len(parts[0]) > 80:
        return None
    technology = parts[1].lower()
    if technology not in INTERNET_TECHNOLOGIES:
        return None
    speeds = [p.lower().removesuffix("mbit/s").strip() for p in parts[2:]]
    if not all(s.isascii() and s.isdigit() and 0 < int(s) <= 100_000 for s in speeds):
        return None
    return {
        "provider": parts[0],
        "technology": technology,
        "down": int(speeds[0]),
        "up": int(speeds[1]),
    }


def internet_text(offers: list[dict]) -> str:
    return "\n".join(
        f"{o['provider']} | {o['technology']} | {o['down']} | {o['up']}" for o in offers
    )


def form_data(content: dict, base_revision_id: int | None, draft_version: int) -> dict:
    """The editor form's values for a snapshot (what the page opens with)."""
    return {
        "base_revision": str(base_revision_id or ""),
        "draft_version": str(draft_version),
        "description": content.get("description", ""),
        "highlights": content.get("highlights", ""),
        "neighbourhood": content.get("neighbourhood", ""),
        "amenities": "\n".join(content.get("amenities", [])),
        "internet": internet_text(content.get("internet", [])),
        "media": [
            {
                "kind": m["kind"],
                "source": m.get("asset") or m.get("url", ""),
                "alt_text": m["alt_text"],
                "caption": m.get("caption", ""),
                "room": m.get("room") or "",
                "floor": m.get("floor"),
                "orientation": m.get("orientation") or "",
                "hotspots": hotspots_text(m.get("hotspots")),
                "position": index,
            }
            for index, m in enumerate(content.get("media", []))
        ],
    }


class RestoreForm(BoundedForm):
    base_revision = HiddenField()
