"""Where a `next` parameter may send someone after a form: only to our own pages."""

from urllib.parse import urlsplit


def safe_next(target: str | None) -> str | None:
    # Only same-site paths: an open redirect here would make our pages a phishing tool.
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
