"""The studio's records: published revisions, the shared draft, and uploaded image files.

A subject is a community's content (its texts, amenities, internet service and building
media) or a unit's (its description and media). Publishing copies a draft onto the live
rows the public pages read and keeps a :class:`ContentRevision` with the whole snapshot,
so any version can be compared and restored.
"""

from datetime import datetime

import sqlalchemy as sa
from markupsafe import Markup
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from portal.extensions import db
from portal.models.base import UTCDateTime, column_in, utcnow
from portal.studio.sanitise import clean_html

SUBJECT_KINDS = ("property", "unit")
IMAGE_FORMATS = ("jpeg", "png", "webp")


class SanitisedHTML(TypeDecorator):
    """HTML that is cleaned by nh3 on the way in and read back as ``Markup``.

    Only this column type hands templates markup: whatever sets it (the studio, a
    migration, a script), what reaches the page has been through the sanitiser.
    """

    impl = sa.Text
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return clean_html(str(value)) if value else ""

    def process_result_value(self, value, dialect):
        return Markup(value or "")  # noqa: S704 - cleaned when stored


def subject_key(kind: str, subject_id: int) -> str:
    """``"property:3"`` or ``"unit:17"``: one draft and one revision series per subject."""
    return f"{kind}:{subject_id}"


class _SubjectColumns:
    """Whose content a draft or revision holds: the subject's kind, community and unit."""

    subject_kind: Mapped[str] = mapped_column(sa.String(8))
    property_id: Mapped[int] = mapped_column(sa.ForeignKey("property.id", ondelete="CASCADE"))
    unit_id: Mapped[int | None] = mapped_column(sa.ForeignKey("unit.id", ondelete="CASCADE"))


def _subject_kind_known() -> sa.CheckConstraint:
    return sa.CheckConstraint(column_in("subject_kind", SUBJECT_KINDS), name="subject_kind_known")


class ContentRevision(_SubjectColumns, db.Model):
    """One publish: who, when and the complete content snapshot (Markdown sources)."""

    __tablename__ = "content_revision"
    __table_args__ = (
        sa.UniqueConstraint("subject", "number"),
        _subject_kind_known(),
        sa.CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(sa.String(24), index=True)
    number: Mapped[int]
    content: Mapped[dict] = mapped_column(sa.JSON)
    published_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    # Kept as written: the history still says who published after an account is removed.
    published_by_name: Mapped[str] = mapped_column(sa.String(120))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    restored_from_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("content_revision.id", ondelete="SET NULL")
    )

    restored_from: Mapped["ContentRevision | None"] = relationship(remote_side=[id])


class ContentDraft(_SubjectColumns, db.Model):
    """The one draft of a subject, shared by everyone editing it.

    ``version`` goes up on every save; a save that names an older version (someone else
    saved in between) is a conflict, never a silent overwrite.
    """

    __tablename__ = "content_draft"
    __table_args__ = (
        _subject_kind_known(),
        sa.CheckConstraint("version >= 1", name="version_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject: Mapped[str] = mapped_column(sa.String(24), unique=True)
    base_revision_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("content_revision.id", ondelete="SET NULL")
    )
    content: Mapped[dict] = mapped_column(sa.JSON)
    version: Mapped[int] = mapped_column(default=1)
    updated_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    updated_by_name: Mapped[str] = mapped_column(sa.String(120))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MediaAsset(db.Model):
    """An uploaded image, re-encoded without metadata and stored in sizes for ``srcset``.

    Files live in ``MEDIA_DIR`` as ``<key>-<width>.<ext>``; rows are never changed, so
    a restored revision finds its images where they were.
    """

    __tablename__ = "media_asset"
    __table_args__ = (
        sa.CheckConstraint(column_in("format", IMAGE_FORMATS), name="format_known"),
        sa.CheckConstraint("width > 0 AND height > 0", name="size_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(32), unique=True)
    format: Mapped[str] = mapped_column(sa.String(8))
    width: Mapped[int]
    height: Mapped[int]
    widths: Mapped[list[int]] = mapped_column(sa.JSON)
    byte_size: Mapped[int]
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def extension(self) -> str:
        return "jpg" if self.format == "jpeg" else self.format

    @property
    def largest_width(self) -> int:
        return max(self.widths)
