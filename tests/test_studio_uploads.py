"""Studio uploads: files are checked by content, stripped of metadata and stored safely."""

import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from PIL import Image

from portal.extensions import db
from portal.models import Media, MediaAsset
from portal.studio.images import UploadRefused, process_upload, target_widths
from tests.factories import gen_unit
from tests.studio_helpers import editor_fields, jpeg_bytes, sign_in_marketer

LIMITS = {"max_bytes": 2_000_000, "max_pixels": 20_000_000}


def test_gps_and_camera_data_are_stripped():
    """A photo with GPS and maker tags comes out with no EXIF at all, in every size."""
    data = jpeg_bytes(gps=True)
    assert Image.open(io.BytesIO(data)).getexif().get(0x8825) is not None
    image = process_upload(data, **LIMITS)
    for encoded in image.variants.values():
        out = Image.open(io.BytesIO(encoded))
        assert dict(out.getexif()) == {}
        assert "exif" not in out.info


def test_responsive_sizes_never_upscale():
    """A 1,200-pixel photo gets 480, 960 and 1,200; a small one only its own width."""
    image = process_upload(jpeg_bytes(1200, 800), **LIMITS)
    assert sorted(image.variants) == [480, 960, 1200]
    assert Image.open(io.BytesIO(image.variants[480])).size == (480, 320)
    assert target_widths(300, panorama=False) == [300]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<svg onload=alert(1)></svg>", "not a JPEG, PNG or WebP"),
        (b"GIF89a" + b"\x00" * 64, "not a JPEG, PNG or WebP"),
        (jpeg_bytes(200, 100, fmt="BMP"), "this file is BMP"),
        (jpeg_bytes()[:-400], "damaged"),
        (b"\xff" * 2_000_001, "limited to 2.0 MB"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(data, message):
    """Wrong type by content, corrupt and oversized files are refused, saying why."""
    with pytest.raises(UploadRefused, match=message):
        process_upload(data, **LIMITS)


def test_a_decompression_bomb_is_refused_before_decoding():
    """A small PNG declaring 30,000 × 30,000 pixels is refused by its header."""
    buffer = io.BytesIO()
    Image.new("1", (30_000, 30_000)).save(buffer, "PNG")
    assert len(buffer.getvalue()) < 2_000_000
    with pytest.raises(UploadRefused, match="megapixels"):
        process_upload(buffer.getvalue(), **LIMITS)


@pytest.fixture
def app_config(tmp_path):
    # Small enough that the test client keeps uploads in memory (no temporary files).
    return {"MEDIA_DIR": str(tmp_path / "media"), "MEDIA_MAX_UPLOAD_MB": 0.3}


def _add(client, kind, subject_id, **extra):
    fields = editor_fields(kind, subject_id, action="add", **extra)
    return client.post(
        f"/studio/content/{kind}/{subject_id}", data=fields, content_type="multipart/form-data"
    )


def test_a_window_view_upload_is_stored_and_served_safely(client, auth, app):
    """An uploaded window view lands in the draft; its file is served with safe headers."""
    unit = gen_unit()
    db.session.commit()
    sign_in_marketer(client, auth)
    response = _add(
        client,
        "unit",
        unit.id,
        new_kind="window_view",
        new_alt_text="Sea view",
        new_room="Living room",
        new_floor="5",
        new_orientation="SW",
        new_file=(io.BytesIO(jpeg_bytes(gps=True)), "view.jpg"),
    )
    assert response.status_code == 303
    asset = db.session.scalar(sa.select(MediaAsset))
    files = list(Path(app.config["MEDIA_DIR"]).rglob("*.jpg"))
    assert len(files) == len(asset.widths) == 3
    served = client.get(f"/media/{asset.key}/{asset.widths[0]}.jpg")
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.headers["Content-Security-Policy"].startswith("sandbox")
    assert served.get_data()[:2] == b"\xff\xd8"  # a JPEG, as stored
    served.close()
    client.post(
        f"/studio/content/unit/{unit.id}", data=editor_fields("unit", unit.id, action="publish")
    )
    page = client.get(f"/listings/{unit.id}").get_data(as_text=True)
    assert f"/media/{asset.key}/480.jpg 480w" in page
    assert "facing SW" in page


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (
            (io.BytesIO(b"<html><script>alert(1)</script></html>"), "photo.jpg"),
            "not a JPEG, PNG or WebP",
        ),
        ((io.BytesIO(b"\xff" * 400_000), "big.jpg"), "limited to 0.3 MB"),
    ],
)
def test_a_refused_upload_stores_nothing(client, auth, app, file, message):
    """A disguised or oversized file gives its message in the form; no row, no file."""
    unit = gen_unit()
    db.session.commit()
    sign_in_marketer(client, auth)
    response = _add(
        client, "unit", unit.id, new_kind="photo", new_alt_text="Kitchen", new_file=file
    )
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(MediaAsset.id))) == 0
    assert not list(Path(app.config["MEDIA_DIR"]).rglob("*.*"))


def test_an_upload_without_alt_text_is_refused(client, auth):
    """Alt text is required for every new item."""
    unit = gen_unit()
    db.session.commit()
    sign_in_marketer(client, auth)
    response = _add(
        client, "unit", unit.id, new_kind="photo", new_file=(io.BytesIO(jpeg_bytes()), "a.jpg")
    )
    assert response.status_code == 422
    assert "Describe the new item" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/embed/x",
        "http://www.youtube.com/watch?v=abcdefgh",
        "javascript:alert(1)",
    ],
)
def test_an_embed_outside_the_allow_list_is_refused(client, auth, url):
    """Only https YouTube and Vimeo embeds are taken; others are refused, nothing saved."""
    unit = gen_unit()
    db.session.commit()
    sign_in_marketer(client, auth)
    response = _add(
        client, "unit", unit.id, new_kind="video", new_alt_text="Tour video", new_video=url
    )
    assert response.status_code == 422
    assert "youtube" in response.get_data(as_text=True).lower()
    assert db.session.scalar(sa.select(sa.func.count(Media.id))) == 0


def test_an_allowed_video_becomes_a_privacy_enhanced_embed(client, auth):
    """A YouTube watch link is published as a youtube-nocookie embed in a sandboxed frame."""
    unit = gen_unit()
    db.session.commit()
    sign_in_marketer(client, auth)
    _add(client, "unit", unit.id, new_kind="video", new_alt_text="Tour video",
         new_video="https://www.youtube.com/watch?v=dQw4w9WgXcQ")  # fmt: skip
    client.post(
        f"/studio/content/unit/{unit.id}", data=editor_fields("unit", unit.id, action="publish")
    )
    page = client.get(f"/listings/{unit.id}").get_data(as_text=True)
    assert 'src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in page
    assert "sandbox=" in page
