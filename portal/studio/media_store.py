"""Where uploaded images live: ``MEDIA_DIR``, outside the static tree, one file per width.

File names come from a random key and the width, never from the upload, so nothing a
marketer sends can choose a path. Files are written before the row is flushed, and they
belong to that transaction: if it ends without a commit (a conflict, a refused save, an
error), the files written in it are deleted again, so no file outlives its row. A crash
between writing and committing can still leave files; ``flask studio prune-media``
removes those (``portal/studio/media_prune.py``).
"""

import os
import secrets
from pathlib import Path

import sqlalchemy as sa

from portal.extensions import db
from portal.models import MediaAsset
from portal.studio.images import EXTENSIONS, ProcessedImage

# Session.info key: the files written in the session's current transaction.
_WRITTEN = "studio_media_written"


def asset_path(media_dir: str | Path, key: str, width: int, fmt: str) -> Path:
    return Path(media_dir) / key[:2] / f"{key}-{width}.{EXTENSIONS[fmt]}"


def store_asset(
    image: ProcessedImage, media_dir: str | Path, uploaded_by_id: int | None
) -> MediaAsset:
    """Write ``image``'s sizes under ``media_dir`` and add its row (flushes)."""
    key = secrets.token_hex(16)
    written = db.session.info.setdefault(_WRITTEN, [])
    for width, data in image.variants.items():
        path = asset_path(media_dir, key, width, image.format)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(path.suffix + ".part")
        partial.write_bytes(data)
        os.replace(partial, path)  # readers never see half a file
        written.append(path)
    asset = MediaAsset(
        key=key,
        format=image.format,
        width=image.width,
        height=image.height,
        widths=sorted(image.variants),
        byte_size=image.byte_size,
        uploaded_by_id=uploaded_by_id,
    )
    db.session.add(asset)
    db.session.flush()
    return asset


@sa.event.listens_for(db.session, "after_commit")
def _keep_committed_files(session) -> None:
    session.info.pop(_WRITTEN, None)


@sa.event.listens_for(db.session, "after_transaction_end")
def _delete_files_of_an_uncommitted_transaction(session, transaction) -> None:
    # Fires for commits too, after after_commit has taken the list; what is left here
    # was written in a transaction that rolled back or was closed without a commit.
    if transaction.parent is not None:
        return  # a savepoint: the outer transaction decides
    for path in session.info.pop(_WRITTEN, ()):
        path.unlink(missing_ok=True)
