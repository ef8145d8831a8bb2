"""Where a `next` parameter may send someone after a form: only to our own pages."""

from urllib.parse import urlsplit

from portal.input_limits import has_control_characters


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path of ours, else None.

    An open redirect would make our pages a phishing tool: no scheme or host, no ``//``,
    and no backslash (browsers read ``/\\evil.example`` as ``//evil.example``). Control
    characters are refused too: CR/LF would split the Location header, and urlsplit drops
    tabs and newlines before it looks (``/\\t/evil.example``)."""
    if not target or "\\" in target or has_control_characters(target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
