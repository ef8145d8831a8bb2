"""The content editor: drafts, live preview, publish, history and restore (thin views).

The editor form carries the revision and draft version it was opened on; the services
turn a stale one into a Conflict, shown beside the marketer's own edits (kept in the
form), so two marketers never overwrite each other unknowingly.
"""

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.htmx import is_htmx
from portal.listings.neighbourhoods import neighbourhood_facts
from portal.listings.services import LISTED_STATUSES
from portal.models import ORIENTATIONS, ContentRevision, Property, Unit
from portal.models.base import utcnow
from portal.prospects.current import listing_panel_context
from portal.settings import geo_settings
from portal.studio import revisions
from portal.studio.content import Subject, find_subject, live_snapshot, unstored_uploads
from portal.studio.embeds import EmbedRefused, embed_url
from portal.studio.forms import ContentForm, RestoreForm, error_messages, form_data
from portal.studio.images import UploadRefused, process_upload
from portal.studio.listing_content import draft_content
from portal.studio.media_store import store_asset
from portal.studio.views import bp

# A Markdown text over the limit must reach the form's check (which states the limit)
# instead of Werkzeug's 500 kB form cap; uploads are limited by MEDIA_MAX_UPLOAD_MB.
FORM_MEMORY_BYTES = 2 * 1024 * 1024
KINDS = "<any(property,unit):kind>"


@bp.before_request
def _room_for_studio_forms() -> None:
    request.max_form_memory_size = FORM_MEMORY_BYTES
    request.max_content_length = int((current_app.config["MEDIA_MAX_UPLOAD_MB"] + 3) * 1_000_000)


def _subject_or_404(kind: str, subject_id: int) -> Subject:
    subject = find_subject(kind, subject_id)
    if subject is None:
        abort(404, description="That community or home does not exist.")
    return subject


@bp.get("/content")
def content_index():
    properties = db.session.scalars(sa.select(Property).order_by(Property.name)).all()
    drafts = set(db.session.scalars(sa.select(revisions.ContentDraft.subject)))
    return render_template("studio/content_index.html", properties=properties, drafts=drafts)


def _preview_unit(subject: Subject) -> Unit | None:
    if subject.unit:
        return subject.unit
    return db.session.scalar(
        sa.select(Unit)
        .where(Unit.property_id == subject.property.id)
        .order_by(Unit.status.in_(LISTED_STATUSES).desc(), Unit.floor, Unit.number)
        .limit(1)
    )


def _preview_context(subject: Subject, content: dict) -> dict:
    unit = _preview_unit(subject)
    if unit is None:
        return {"preview_unit": None}
    if subject.unit:
        property_content = live_snapshot(Subject("property", subject.property))
        unit_content = content
    else:
        property_content = content
        unit_content = live_snapshot(Subject("unit", subject.property, unit))
    return {
        "preview_unit": unit,
        "unit": unit,
        "property": unit.property,
        "content": draft_content(unit, property_content, unit_content),
        "neighbourhood": neighbourhood_facts(unit.property, geo_settings()),
        "commutes": [],
        **listing_panel_context(unit),
    }


def _render_editor(subject, form, *, status=200, conflict=None, content=None, media_errors=()):
    state = revisions.editing_state(subject)
    preview_content = content if content is not None else state.content
    return (
        render_template(
            "studio/edit.html",
            subject=subject,
            form=form,
            state=state,
            conflict=conflict,
            media_errors=media_errors,
            error_messages=error_messages,
            restore_form=RestoreForm(),
            **_preview_context(subject, preview_content),
        ),
        status,
    )


def _add_new_item(subject: Subject, form: ContentForm, content: dict) -> bool:
    """Append the upload or video named in the form; False (with field errors) if refused."""
    kind = form.new_kind.data
    if kind not in subject.media_kinds:
        form.new_kind.errors = [f"Choose one of: {', '.join(subject.media_kinds)}."]
        return False
    if form.new_orientation.data and form.new_orientation.data not in ORIENTATIONS:
        form.new_orientation.errors = ["Choose a compass direction."]
        return False
    alt = (form.new_alt_text.data or "").strip()
    if not alt:
        form.new_alt_text.errors = ["Describe the new item for people who cannot see it."]
        return False
    item = {
        "kind": kind,
        "asset": None,
        "url": "",
        "alt_text": alt,
        "caption": (form.new_caption.data or "").strip(),
        "room": (form.new_room.data or "").strip() or None,
        "floor": form.new_floor.data,
        "orientation": form.new_orientation.data or None,
        "hotspots": [],
    }
    if kind == "window_view" and not (
        item["room"] and item["floor"] is not None and item["orientation"]
    ):
        form.new_room.errors = [
            "A window view needs the room, floor and orientation it was taken from."
        ]
        return False
    if kind == "virtual_tour" and not item["room"]:
        form.new_room.errors = ["A panorama needs its room (hotspots from other rooms lead to it)."]
        return False
    if kind == "video":
        try:
            item["url"] = embed_url(
                form.new_video.data or "", tuple(current_app.config["STUDIO_EMBED_HOSTS"])
            )
        except EmbedRefused as exc:
            form.new_video.errors = [str(exc)]
            return False
    else:
        upload = request.files.get(form.new_file.name)
        if upload is None or not upload.filename:
            form.new_file.errors = ["Choose an image file to upload."]
            return False
        config = current_app.config
        limit = int(config["MEDIA_MAX_UPLOAD_MB"] * 1_000_000)
        try:
            data = upload.stream.read(limit + 1)
        finally:
            upload.close()  # a large upload is a temporary file: let it go now
        try:
            image = process_upload(
                data,
                max_bytes=limit,
                max_pixels=config["MEDIA_MAX_MEGAPIXELS"] * 1_000_000,
                panorama=kind == "virtual_tour",
            )
        except UploadRefused as exc:
            form.new_file.errors = [str(exc)]
            return False
        item["asset"] = store_asset(image, config["MEDIA_DIR"], current_user.id).key
    content["media"].append(item)
    return True


@bp.route(f"/content/{KINDS}/<int:subject_id>", methods=["GET", "POST"])
def edit(kind: str, subject_id: int):
    subject = _subject_or_404(kind, subject_id)
    if request.method == "GET":
        state = revisions.editing_state(subject)
        form = ContentForm(
            data=form_data(state.content, state.base_revision_id, state.draft_version),
            media_kinds=subject.media_kinds,
        )
        return _render_editor(subject, form)
    form = ContentForm(media_kinds=subject.media_kinds)
    valid = form.validate()
    media_errors = form.media_errors() if valid else []
    if not valid or media_errors:
        return _render_editor(subject, form, status=422, media_errors=media_errors)
    content = form.to_content(unit_subject=subject.unit is not None)
    if unstored := unstored_uploads(content):
        return _render_editor(subject, form, status=422, media_errors=unstored)
    action = request.form.get("action", "save")
    if action == "add" and not _add_new_item(subject, form, content):
        db.session.rollback()
        return _render_editor(subject, form, status=422, content=content)
    now = utcnow()
    try:
        write = revisions.publish if action == "publish" else revisions.save_draft
        written = write(
            subject,
            content,
            base_revision_id=form.base_revision_id,
            draft_version=form.draft_version_number,
            staff=current_user,
            now=now,
        )
        if action == "publish":
            message = f"Published as revision {written.number}: the public pages show it now."
        else:
            message = "Draft saved. Nothing changes on the public pages until you publish."
        db.session.commit()
    except revisions.Conflict as conflict:
        db.session.rollback()
        return _render_conflict(subject, form, content, conflict)
    except IntegrityError:
        db.session.rollback()
        return _render_conflict(subject, form, content, None)
    flash(message, "success")
    return redirect(url_for("studio.edit", kind=kind, subject_id=subject_id), 303)


def _render_conflict(subject, form, content, conflict):
    """The marketer's edits stay in the form, now based on what is stored; theirs beside."""
    state = revisions.editing_state(subject)
    form.base_revision.data = str(state.base_revision_id or "")
    form.draft_version.data = str(state.draft_version)
    theirs = conflict.theirs if conflict else state.content
    changes = revisions.diff(subject, theirs, content)
    return _render_editor(
        subject,
        form,
        status=409,
        content=content,
        conflict={"error": conflict, "changes": changes},
        # An image uploaded with the conflicting save was rolled back with it.
        media_errors=unstored_uploads(content),
    )


@bp.post(f"/content/{KINDS}/<int:subject_id>/preview")
def preview(kind: str, subject_id: int):
    """The public page with the form's content, for the editor's live preview (htmx)."""
    subject = _subject_or_404(kind, subject_id)
    form = ContentForm(media_kinds=subject.media_kinds)
    if not form.validate():
        return (
            render_template(
                "studio/_preview_errors.html", form=form, error_messages=error_messages
            ),
            422,
        )
    context = _preview_context(subject, form.to_content(unit_subject=subject.unit is not None))
    template = "studio/_preview.html"
    if not is_htmx():
        return render_template("studio/preview_page.html", subject=subject, **context)
    return render_template(template, subject=subject, **context)


@bp.get(f"/content/{KINDS}/<int:subject_id>/history")
def history(kind: str, subject_id: int):
    subject = _subject_or_404(kind, subject_id)
    rows = revisions.history(subject)
    entries = []
    for index, revision in enumerate(rows):
        before = rows[index + 1].content if index + 1 < len(rows) else None
        entries.append((revision, revisions.diff(subject, before, revision.content)))
    head = rows[0] if rows else None
    form = RestoreForm(data={"base_revision": str(head.id) if head else ""})
    return render_template(
        "studio/history.html", subject=subject, entries=entries, head=head, form=form
    )


@bp.post(f"/content/{KINDS}/<int:subject_id>/restore/<int:revision_id>")
def restore(kind: str, subject_id: int, revision_id: int):
    subject = _subject_or_404(kind, subject_id)
    revision = db.session.get(ContentRevision, revision_id)
    if revision is None or revision.subject != subject.key:
        abort(404, description="That revision does not exist for this content.")
    form = RestoreForm()
    if not form.validate():
        abort(400, description="The restore form is not valid; open the history again.")
    base = int(form.base_revision.data) if (form.base_revision.data or "").isdigit() else None
    try:
        new = revisions.restore(
            subject, revision, base_revision_id=base, staff=current_user, now=utcnow()
        )
        db.session.commit()
    except (revisions.Conflict, IntegrityError):
        db.session.rollback()
        flash(
            "Someone published this content meanwhile; check the history and restore again.",
            "error",
        )
        return redirect(url_for("studio.history", kind=kind, subject_id=subject_id), 303)
    flash(f"Revision {revision.number} restored and published as revision {new.number}.", "success")
    return redirect(url_for("studio.history", kind=kind, subject_id=subject_id), 303)
