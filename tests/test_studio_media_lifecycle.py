"""Uploads live exactly as long as something uses them: no file without its row, no stray rows."""

import io
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.models import MediaAsset
from portal.models.base import utcnow
from portal.studio.images import process_upload
from portal.studio.media_prune import prune_media
from portal.studio.media_store import store_asset
from tests.factories import gen_unit
from tests.studio_helpers import editor_fields, jpeg_bytes, sign_in_marketer

LIMITS = {"max_bytes": 300_000, "max_pixels": 40_000_000, "panorama": False}


@pytest.fixture
def app_config(tmp_path):
    return {"MEDIA_DIR": str(tmp_path / "media"), "MEDIA_MAX_UPLOAD_MB": 0.3}


def _files(app) -> list[Path]:
    return sorted(p for p in Path(app.config["MEDIA_DIR"]).rglob("*") if p.is_file())


def _window_view(**extra) -> dict:
    return {
        "new_kind": "window_view",
        "new_alt_text": "Sea view",
        "new_room": "Living room",
        "new_floor": "5",
        "new_orientation": "SW",
        "new_file": (io.BytesIO(jpeg_bytes()), "view.jpg"),
        **extra,
    }


def _stored_image(app, *, age: timedelta = timedelta(0)) -> MediaAsset:
    asset = store_asset(process_upload(jpeg_bytes(), **LIMITS), app.config["MEDIA_DIR"], None)
    asset.created_at = utcnow() - age
    db.session.commit()
    return asset


def _age_files(app, age: timedelta) -> None:
    then = time.time() - age.total_seconds()
    for path in _files(app):
        os.utime(path, (then, then))


def test_an_upload_whose_save_conflicts_leaves_no_file_and_says_so(client, auth, app):
    """The save that carried the upload rolled back: its files go too, and the page tells why."""
    unit = gen_unit()
    db.session.commit()
    sign_in_marketer(client, auth)
    opened = editor_fields("unit", unit.id)
    client.post(f"/studio/content/unit/{unit.id}", data={**opened, "action": "save"})
    response = client.post(
        f"/studio/content/unit/{unit.id}",
        data={**opened, "action": "add", **_window_view()},
        content_type="multipart/form-data",
    )
    assert response.status_code == 409
    assert "this image is no longer stored" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(MediaAsset.id))) == 0
    assert _files(app) == []


def test_a_committed_upload_keeps_its_files(client, auth, app):
    unit = gen_unit()
    db.session.commit()
    sign_in_marketer(client, auth)
    response = client.post(
        f"/studio/content/unit/{unit.id}",
        data=editor_fields("unit", unit.id, action="add", **_window_view()),
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    asset = db.session.scalar(sa.select(MediaAsset))
    assert len(_files(app)) == len(asset.widths)


def test_media_naming_an_upload_that_is_not_stored_is_refused(client, auth):
    """A form resent after its upload rolled back (or forged) cannot publish an empty image."""
    unit = gen_unit()
    db.session.commit()
    sign_in_marketer(client, auth)
    fields = editor_fields(
        "unit",
        unit.id,
        action="publish",
        **{
            "media-0-kind": "photo",
            "media-0-source": "ab" * 16,
            "media-0-alt_text": "Kitchen",
        },
    )
    response = client.post(f"/studio/content/unit/{unit.id}", data=fields)
    assert response.status_code == 422
    assert "Media item 1: this image is no longer stored" in response.get_data(as_text=True)
    assert client.get(f"/listings/{unit.id}").get_data(as_text=True).count("ab" * 16) == 0


def test_prune_removes_unused_uploads_and_files_without_a_row(app):
    """Old leftovers go; what a revision or page names, and anything recent, stays."""
    unused = _stored_image(app, age=timedelta(days=3))
    crashed = _stored_image(app, age=timedelta(days=3))
    crashed_files = [p for p in _files(app) if p.name.startswith(crashed.key)]
    db.session.delete(crashed)  # as if the process died before the row was committed
    db.session.commit()
    _age_files(app, timedelta(days=3))
    recent = _stored_image(app)

    report = prune_media(app.config["MEDIA_DIR"], now=utcnow())
    db.session.commit()

    assert report.unused_assets == [unused.key]
    assert sorted(report.orphan_files) == sorted(crashed_files)
    assert db.session.scalars(sa.select(MediaAsset.key)).all() == [recent.key]
    assert {p.name.split("-")[0] for p in _files(app)} == {recent.key}


def test_prune_keeps_images_a_revision_names(client, auth, app):
    """Restoring an old version must find its pictures, however old the upload."""
    unit = gen_unit()
    db.session.commit()
    sign_in_marketer(client, auth)
    client.post(
        f"/studio/content/unit/{unit.id}",
        data=editor_fields("unit", unit.id, action="add", **_window_view()),
        content_type="multipart/form-data",
    )
    client.post(
        f"/studio/content/unit/{unit.id}", data=editor_fields("unit", unit.id, action="publish")
    )
    report = prune_media(app.config["MEDIA_DIR"], now=utcnow() + timedelta(days=30))
    assert report.unused_assets == []
    assert report.orphan_files == []


def test_prune_media_command_dry_run_deletes_nothing(app, runner):
    _stored_image(app, age=timedelta(days=3))
    before = _files(app)
    result = runner.invoke(args=["studio", "prune-media", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would remove upload" in result.output
    assert "1 unused uploads, 0 files without a row" in result.output
    assert _files(app) == before
    assert db.session.scalar(sa.select(sa.func.count(MediaAsset.id))) == 1

    result = runner.invoke(args=["studio", "prune-media"])
    assert result.exit_code == 0, result.output
    assert _files(app) == []
