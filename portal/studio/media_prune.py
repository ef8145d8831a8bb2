"""Removing uploads nothing uses: ``flask studio prune-media``.

Two kinds of leftovers: files in ``MEDIA_DIR`` with no row (a process died between
writing an upload and committing it; a transaction that merely rolls back deletes its
own files, see ``media_store``), and rows no page, draft or revision names (an image
added to a draft and removed again before publishing). Revisions keep every image they
name, so restoring an old version always finds its pictures. Anything younger than the
grace period is left alone: an upload in flight writes its files before its commit.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from portal.extensions import db
from portal.models import Media, MediaAsset
from portal.models.content import ContentDraft, ContentRevision
from portal.studio.media_store import asset_path

GRACE = timedelta(days=1)


@dataclass
class PruneReport:
    orphan_files: list[Path] = field(default_factory=list)
    unused_assets: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.unused_assets)} unused uploads, "
            f"{len(self.orphan_files)} files without a row"
        )


def referenced_keys() -> set[str]:
    """Asset keys a live page, a draft or any revision names."""
    keys = set(
        db.session.scalars(sa.select(MediaAsset.key).join(Media, Media.asset_id == MediaAsset.id))
    )
    for model in (ContentRevision, ContentDraft):
        for content in db.session.scalars(sa.select(model.content)):
            keys.update(item["asset"] for item in content.get("media", ()) if item.get("asset"))
    return keys


def prune_media(
    media_dir: str | Path, *, now: datetime, grace: timedelta = GRACE, dry_run: bool = False
) -> PruneReport:
    """Delete unused upload rows and files without a row, older than ``grace`` (flushes)."""
    cutoff = now - grace
    report = PruneReport()
    used = referenced_keys()
    for asset in db.session.scalars(
        sa.select(MediaAsset).where(MediaAsset.created_at < cutoff).order_by(MediaAsset.id)
    ):
        if asset.key in used:
            continue
        report.unused_assets.append(asset.key)
        if not dry_run:
            for width in asset.widths:
                asset_path(media_dir, asset.key, width, asset.format).unlink(missing_ok=True)
            db.session.delete(asset)
    db.session.flush()
    stored = set(db.session.scalars(sa.select(MediaAsset.key)))
    for path in sorted(Path(media_dir).glob("*/*")):
        key = path.name.split("-", 1)[0].split(".", 1)[0]
        if key in stored or datetime.fromtimestamp(path.stat().st_mtime, now.tzinfo) >= cutoff:
            continue
        report.orphan_files.append(path)
        if not dry_run:
            path.unlink(missing_ok=True)
    return report
