"""Where uploaded images live: ``MEDIA_DIR``, outside the static tree, one file per width.

File names come from a random key and the width, never from the upload, so nothing a
marketer sends can choose a path. Files are written before the row is flushed; a
refused upload writes nothing.
"""

import os
import secrets
from pathlib import Path

from portal.extensions import db
from portal.models import MediaAsset
from portal.studio.images import EXTENSIONS, ProcessedImage


def asset_path(media_dir: str | Path, key: str, width: int, fmt: str) -> Path:
    return Path(media_dir) / key[:2] / f"{key}-{width}.{EXTENSIONS[fmt]}"


def store_asset(
    image: ProcessedImage, media_dir: str | Path, uploaded_by_id: int | None
) -> MediaAsset:
    """Write ``image``'s sizes under ``media_dir`` and add its row (flushes)."""
    key = secrets.token_hex(16)
    for width, data in image.variants.items():
        path = asset_path(media_dir, key, width, image.format)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(path.suffix + ".part")
        partial.write_bytes(data)
        os.replace(partial, path)  # readers never see half a file
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
