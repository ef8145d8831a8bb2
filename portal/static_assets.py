"""Static files under content-hashed names, cached for a year and served compressed.

``url_for("static", filename="css/portal.css")`` gives ``/static/css/portal.<hash>.css``
(the first 10 hex digits of the file's SHA-256), so a changed file gets a new URL and the
browser may keep each URL for a year (``Cache-Control: public, max-age=31536000,
immutable``). A request for the plain name (a relative ``url()`` inside a vendored
stylesheet, an old link) still works and is cached for an hour. Compressible files are
compressed once per process (Brotli, else gzip, as the browser accepts) and kept in
memory; pages and JSON are compressed per response by Flask-Compress
(``portal.extensions.compress``), which leaves responses that carry a
``Content-Encoding`` alone.
"""

import gzip
import hashlib
import mimetypes
import re
from pathlib import Path

import brotli
from flask import Flask, Response, abort, request
from werkzeug.security import safe_join

HASH_LENGTH = 10
IMMUTABLE = "public, max-age=31536000, immutable"
PLAIN = "public, max-age=3600"
COMPRESSIBLE = {
    "text/css",
    "text/javascript",
    "application/javascript",
    "image/svg+xml",
    "application/json",
    "text/plain",
}
_HASHED = re.compile(
    rf"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{{{HASH_LENGTH}}})(?P<ext>\.[A-Za-z0-9]+)$"
)


class StaticFiles:
    """Hashes and compressed bodies of one static folder, computed on first use.

    With ``watch`` (the debug server) a file changed on disk (its size or mtime) is hashed
    and compressed anew; otherwise each file is read once per process, so building a URL
    costs a dictionary look-up, not a ``stat``.
    """

    def __init__(self, folder: str | Path, *, watch: bool = False):
        self.folder = Path(folder)
        self.watch = watch
        self._files: dict[str, tuple[tuple[int, int], str, bytes, dict[str, bytes]]] = {}

    def _entry(self, filename: str):
        entry = self._files.get(filename)
        if entry is not None and not self.watch:
            return entry
        path = safe_join(str(self.folder), filename)
        if path is None or not Path(path).is_file():
            return None
        stat = Path(path).stat()
        key = (stat.st_mtime_ns, stat.st_size)
        if entry is None or entry[0] != key:
            body = Path(path).read_bytes()
            digest = hashlib.sha256(body).hexdigest()[:HASH_LENGTH]
            entry = (key, digest, body, {})
            self._files[filename] = entry
        return entry

    def hashed_name(self, filename: str) -> str:
        """``css/portal.css`` → ``css/portal.<digest>.css`` (unchanged when missing)."""
        entry = self._entry(filename)
        if entry is None:
            return filename
        stem, dot, ext = filename.rpartition(".")
        if not dot or "/" in ext:
            return f"{filename}.{entry[1]}"
        return f"{stem}.{entry[1]}.{ext}"

    def resolve(self, requested: str) -> tuple[str, bool] | None:
        """The real file a requested name stands for, and whether the name was hashed
        with the file's current digest."""
        if self._entry(requested) is not None:
            return requested, False
        match = _HASHED.match(requested)
        if match is None:
            return None
        real = match["stem"] + match["ext"]
        entry = self._entry(real)
        if entry is None or entry[1] != match["digest"]:
            return None
        return real, True

    def digest(self, filename: str) -> str:
        return self._entry(filename)[1]

    def body(self, filename: str, encoding: str | None) -> bytes:
        _, _, body, compressed = self._entry(filename)
        if encoding is None:
            return body
        if encoding not in compressed:
            if encoding == "br":
                compressed[encoding] = brotli.compress(body, quality=11)
            else:
                compressed[encoding] = gzip.compress(body, compresslevel=9, mtime=0)
        return compressed[encoding]


def _accepted_encoding(accept: str) -> str | None:
    offered = {part.split(";")[0].strip().lower() for part in accept.split(",")}
    for encoding in ("br", "gzip"):
        if encoding in offered:
            return encoding
    return None


def register(app: Flask) -> None:
    """Serve ``/static/`` with hashed names, long caching and precompressed bodies."""
    files = StaticFiles(app.static_folder, watch=app.debug)
    app.extensions["static_files"] = files

    @app.url_defaults
    def hash_static_names(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = files.hashed_name(values["filename"])

    def static(filename: str) -> Response:
        resolved = files.resolve(filename)
        if resolved is None:
            abort(404)
        real, hashed = resolved
        mimetype = mimetypes.guess_type(real)[0] or "application/octet-stream"
        encoding = None
        if mimetype in COMPRESSIBLE:
            encoding = _accepted_encoding(request.headers.get("Accept-Encoding", ""))
        body = files.body(real, encoding)
        response = Response(body, mimetype=mimetype)
        if mimetype.startswith("text/") or mimetype.endswith(("javascript", "json", "+xml")):
            response.charset = "utf-8"
        if encoding:
            response.headers["Content-Encoding"] = encoding
        if mimetype in COMPRESSIBLE:
            response.headers["Vary"] = "Accept-Encoding"
        response.headers["Cache-Control"] = IMMUTABLE if hashed else PLAIN
        response.set_etag(f"{files.digest(real)}-{encoding or 'identity'}")
        return response.make_conditional(request)

    app.view_functions["static"] = static
