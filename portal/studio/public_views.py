"""The studio's public side: uploaded images and the sitemap (no sign-in needed).

Images are served from ``MEDIA_DIR`` with the content type of their stored format,
``nosniff`` and a sandboxing policy, so even a file that somehow held markup could not
run as a page. Keys are random and files never change, so they are cached for a year.
"""

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, render_template, send_file

from portal.extensions import db
from portal.links import external_url
from portal.listings.services import LISTED_STATUSES
from portal.models import MediaAsset, Unit
from portal.studio.images import CONTENT_TYPES
from portal.studio.media_store import asset_path

bp = Blueprint("studio_public", __name__)

MEDIA_POLICY = "sandbox; default-src 'none'; img-src 'self'"


@bp.get("/media/<key>/<int:width>.<ext>")
def media_file(key: str, width: int, ext: str):
    asset = db.session.scalar(sa.select(MediaAsset).where(MediaAsset.key == key))
    if asset is None or width not in asset.widths or ext != asset.extension:
        abort(404)
    path = asset_path(current_app.config["MEDIA_DIR"], asset.key, width, asset.format)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=CONTENT_TYPES[asset.format], max_age=31_536_000)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = MEDIA_POLICY
    response.headers["Content-Disposition"] = "inline"
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@bp.get("/sitemap.xml")
def sitemap():
    """Every listed home's page, with when it last changed, for search engines."""
    rows = db.session.execute(
        sa.select(Unit.id, Unit.updated_at)
        .where(Unit.status.in_(LISTED_STATUSES))
        .order_by(Unit.id)
    ).all()
    pages = [(external_url("home.index"), None), (external_url("listings.index"), None)]
    pages += [(external_url("listings.detail", unit_id=i), changed) for i, changed in rows]
    xml = render_template("studio/sitemap.xml", pages=pages)
    return xml, 200, {"Content-Type": "application/xml; charset=utf-8"}
