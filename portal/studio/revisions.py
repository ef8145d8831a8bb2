"""Drafts, publishing, history and restore, with conflicts instead of lost edits.

Every editor page carries the revision it started from (``base_revision_id``) and the
draft version it saw (``draft_version``, 0 for none). A save or publish naming anything
older than what is stored now is a :class:`Conflict` carrying the other person's
content, so the view can show their change next to the marketer's own, which stays in
the form. Services flush; the view commits.
"""

import difflib
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from portal.extensions import db
from portal.models import ContentDraft, ContentRevision, StaffUser
from portal.studio.content import MEDIA_LABELS, Subject, apply_snapshot, live_snapshot


@dataclass(frozen=True)
class FieldChange:
    """One field that differs between two snapshots, with a line diff."""

    label: str
    before: str
    after: str
    lines: tuple[tuple[str, str], ...]  # ("-"|"+"|" ", text)


class Conflict(Exception):
    """Someone else saved or published this content after the editor was opened."""

    def __init__(self, what: str, by: str, at: datetime, theirs: dict, number: int | None = None):
        super().__init__(f"{by} {what} this content")
        self.what, self.by, self.at, self.theirs, self.number = what, by, at, theirs, number


@dataclass(frozen=True)
class EditingState:
    """What an editor opens with: the draft if there is one, else the live content."""

    content: dict
    base_revision_id: int | None
    draft_version: int
    draft: ContentDraft | None
    head: ContentRevision | None


def head_revision(subject: Subject) -> ContentRevision | None:
    return db.session.scalar(
        sa.select(ContentRevision)
        .where(ContentRevision.subject == subject.key)
        .order_by(ContentRevision.number.desc())
        .limit(1)
    )


def current_draft(subject: Subject) -> ContentDraft | None:
    return db.session.scalar(sa.select(ContentDraft).where(ContentDraft.subject == subject.key))


def history(subject: Subject) -> list[ContentRevision]:
    return list(
        db.session.scalars(
            sa.select(ContentRevision)
            .where(ContentRevision.subject == subject.key)
            .order_by(ContentRevision.number.desc())
        )
    )


def editing_state(subject: Subject) -> EditingState:
    head = head_revision(subject)
    draft = current_draft(subject)
    if draft is not None:
        return EditingState(draft.content, draft.base_revision_id, draft.version, draft, head)
    content = head.content if head else live_snapshot(subject)
    return EditingState(content, head.id if head else None, 0, None, head)


def _check_current(subject: Subject, base_revision_id: int | None, draft_version: int):
    head = head_revision(subject)
    if (head.id if head else None) != base_revision_id:
        raise Conflict(
            "published", head.published_by_name, head.published_at, head.content, head.number
        )
    draft = current_draft(subject)
    if (draft.version if draft else 0) != draft_version:
        if draft is None:  # the draft you saw was published or discarded meanwhile
            raise Conflict("published", head.published_by_name, head.published_at, head.content)
        raise Conflict("saved a draft of", draft.updated_by_name, draft.updated_at, draft.content)
    return head, draft


def save_draft(
    subject: Subject,
    content: dict,
    *,
    base_revision_id: int | None,
    draft_version: int,
    staff: StaffUser,
    now: datetime,
) -> ContentDraft:
    """Store ``content`` as the subject's draft (flushes); Conflict if it moved on.

    The update names the version it replaces, so of two simultaneous saves one
    changes no row and becomes a Conflict, whatever the database's isolation.
    """
    head, draft = _check_current(subject, base_revision_id, draft_version)
    if draft is None:
        draft = ContentDraft(
            **subject.row_columns,
            base_revision_id=head.id if head else None,
            content=content,
            version=1,
            updated_by_id=staff.id,
            updated_by_name=staff.name,
            updated_at=now,
        )
        db.session.add(draft)
        db.session.flush()  # a simultaneous first draft fails the unique subject here
        return draft
    changed = db.session.execute(
        sa.update(ContentDraft)
        .where(ContentDraft.id == draft.id, ContentDraft.version == draft_version)
        .values(
            content=content,
            version=draft_version + 1,
            updated_by_id=staff.id,
            updated_by_name=staff.name,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.expire(draft)
        raise Conflict("saved a draft of", draft.updated_by_name, draft.updated_at, draft.content)
    db.session.expire(draft)
    return draft


def publish(
    subject: Subject,
    content: dict,
    *,
    base_revision_id: int | None,
    draft_version: int,
    staff: StaffUser,
    now: datetime,
    restored_from: ContentRevision | None = None,
    keep_draft: bool = False,
) -> ContentRevision:
    """Make ``content`` live and record it as the next revision (flushes).

    The draft goes (its content is the revision now). Revision numbers are unique per
    subject, so two simultaneous publishes cannot both land.
    """
    head, draft = _check_current(subject, base_revision_id, draft_version)
    revision = ContentRevision(
        **subject.row_columns,
        number=(head.number if head else 0) + 1,
        content=content,
        published_by_id=staff.id,
        published_by_name=staff.name,
        published_at=now,
        restored_from=restored_from,
    )
    db.session.add(revision)
    if draft is not None and not keep_draft:
        db.session.delete(draft)
    db.session.flush()
    apply_snapshot(subject, content)
    return revision


def restore(
    subject: Subject, revision: ContentRevision, *, base_revision_id: int | None, staff, now
) -> ContentRevision:
    """Publish an earlier revision's content again, as a new revision.

    A pending draft is kept: its next save is a Conflict showing the restored content.
    """
    head = head_revision(subject)
    if (head.id if head else None) != base_revision_id:
        raise Conflict(
            "published", head.published_by_name, head.published_at, head.content, head.number
        )
    draft = current_draft(subject)
    return publish(
        subject,
        revision.content,
        base_revision_id=base_revision_id,
        draft_version=draft.version if draft else 0,
        staff=staff,
        now=now,
        restored_from=revision,
        keep_draft=True,
    )


# -- Reading two snapshots side by side ------------------------------------------------------


def _media_line(item: dict) -> str:
    where = ", ".join(
        part
        for part in (
            item.get("room"),
            f"floor {item['floor']}" if item.get("floor") is not None else None,
            f"facing {item['orientation']}" if item.get("orientation") else None,
        )
        if part
    )
    links = "; ".join(f"→ {h['room']}" for h in item.get("hotspots") or [])
    source = item.get("asset") and f"upload {item['asset'][:8]}" or item.get("url")
    text = f"{MEDIA_LABELS.get(item['kind'], item['kind'])}: {item['alt_text']}"
    for extra in (item.get("caption"), where, links, source):
        if extra:
            text += f" · {extra}"
    return text


def readable_fields(subject: Subject, content: dict) -> dict[str, str]:
    """A snapshot as labelled plain text, one line per list entry, for diffs."""
    fields = {label: content.get(name, "") for name, label in subject.texts.items()}
    if not subject.unit:
        fields["Amenities"] = "\n".join(content.get("amenities", []))
        fields["Internet"] = "\n".join(
            f"{s['provider']} · {s['technology']} · {s['down']}/{s['up']} Mbit/s"
            for s in content.get("internet", [])
        )
    fields["Media"] = "\n".join(_media_line(m) for m in content.get("media", []))
    return fields


def diff(subject: Subject, before: dict | None, after: dict) -> list[FieldChange]:
    """The fields that differ from ``before`` to ``after`` (everything when no before)."""
    old = readable_fields(subject, before) if before else {}
    new = readable_fields(subject, after)
    changes = []
    for label, text in new.items():
        was = old.get(label, "")
        if was == text:
            continue
        lines = tuple(
            (line[0], line[2:])
            for line in difflib.ndiff(was.splitlines(), text.splitlines())
            if line[0] in "-+ "
        )
        changes.append(FieldChange(label, was, text, lines))
    return changes


def previous_of(revision: ContentRevision) -> ContentRevision | None:
    return db.session.scalar(
        sa.select(ContentRevision).where(
            ContentRevision.subject == revision.subject,
            ContentRevision.number == revision.number - 1,
        )
    )
