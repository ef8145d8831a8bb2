"""Uploaded images: checked by their content, re-encoded without metadata, resized.

Nothing here trusts the file name or the browser's content type. Pillow reads the
header first, so an image that claims more pixels than ``max_pixels`` (a decompression
bomb) is refused before a single pixel is decoded. The pixels are then copied into a
fresh image, which carries no EXIF (GPS included), XMP, ICC or text chunks, and encoded
again in each responsive width.
"""

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow's format name → ours (and the only formats we accept).
FORMATS = {"JPEG": "jpeg", "PNG": "png", "WEBP": "webp"}
CONTENT_TYPES = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
EXTENSIONS = {"jpeg": "jpg", "png": "png", "webp": "webp"}
# Widths for srcset; a panorama is shown whole by the viewer, so it keeps a large size.
PHOTO_WIDTHS = (480, 960, 1600)
PANORAMA_WIDTHS = (2048, 4096)


class UploadRefused(ValueError):
    """The upload is not an image we take; the message says why, for the form."""


@dataclass(frozen=True)
class ProcessedImage:
    format: str  # jpeg, png or webp
    width: int
    height: int
    variants: dict[int, bytes]  # width → encoded file

    @property
    def byte_size(self) -> int:
        return sum(len(data) for data in self.variants.values())


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def target_widths(width: int, *, panorama: bool) -> list[int]:
    """The responsive widths for an image ``width`` pixels wide (never upscaled)."""
    wanted = PANORAMA_WIDTHS if panorama else PHOTO_WIDTHS
    widths = [w for w in wanted if w < width]
    widths.append(min(width, wanted[-1]))
    return sorted(set(widths))


def process_upload(
    data: bytes, *, max_bytes: int, max_pixels: int, panorama: bool = False
) -> ProcessedImage:
    """Check ``data`` and return its clean, resized encodings, or raise UploadRefused.

    :param max_bytes: the largest upload taken.
    :param max_pixels: the most pixels (width × height) an image may declare.
    :param panorama: a 360° panorama must be 2:1 (equirectangular) and keeps larger sizes.
    """
    if not data:
        raise UploadRefused("The file is empty.")
    if len(data) > max_bytes:
        raise UploadRefused(
            f"The file is {_megabytes(len(data))}; uploads are limited to {_megabytes(max_bytes)}."
        )
    with warnings.catch_warnings():
        # Our own pixel limit runs first; Pillow's warning would only repeat it.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except Image.DecompressionBombError as exc:
            raise UploadRefused(
                f"The image declares far more pixels than the limit of "
                f"{max_pixels / 1_000_000:g} megapixels."
            ) from exc
        except (UnidentifiedImageError, OSError) as exc:
            raise UploadRefused(
                "This file is not a JPEG, PNG or WebP image (its content says otherwise)."
            ) from exc
        if image.format not in FORMATS:
            raise UploadRefused(
                f"Upload a JPEG, PNG or WebP image; this file is {image.format or 'unknown'}."
            )
        fmt = FORMATS[image.format]
        width, height = image.size
        if width * height > max_pixels:
            raise UploadRefused(
                f"The image declares {width}×{height} pixels; the limit is "
                f"{max_pixels / 1_000_000:g} megapixels."
            )
        if panorama and abs(width - 2 * height) > height * 0.02:
            raise UploadRefused(
                f"A 360° panorama is twice as wide as it is high; this one is {width}×{height}."
            )
        try:
            image.load()
            image = ImageOps.exif_transpose(image)  # keep the way it was shot, then drop EXIF
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
            raise UploadRefused(
                "The image is damaged and cannot be read; export it again."
            ) from exc
    return _encode(_without_metadata(image, fmt), fmt, panorama=panorama)


def _without_metadata(image: Image.Image, fmt: str) -> Image.Image:
    mode = "RGB" if fmt == "jpeg" else ("RGBA" if "A" in image.getbands() else "RGB")
    pixels = image.convert(mode)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    return clean


def _encode(image: Image.Image, fmt: str, *, panorama: bool) -> ProcessedImage:
    variants = {}
    for width in target_widths(image.width, panorama=panorama):
        height = max(1, round(image.height * width / image.width))
        sized = image if width == image.width else image.resize((width, height), Image.LANCZOS)
        buffer = io.BytesIO()
        options = (
            {"quality": 85, "optimize": True} if fmt in ("jpeg", "webp") else {"optimize": True}
        )
        sized.save(buffer, format=fmt.upper(), **options)
        variants[width] = buffer.getvalue()
    return ProcessedImage(fmt, image.width, image.height, variants)
