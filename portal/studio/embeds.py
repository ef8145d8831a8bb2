"""Video embeds: only https addresses of the allowed hosts' embed players.

A YouTube watch link is turned into its privacy-enhanced embed address, so marketers
can paste what their browser shows; anything else outside the list is refused.
"""

import re
from urllib.parse import parse_qs, urlsplit

_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{6,20}")
_VIMEO_ID = re.compile(r"[0-9]{3,12}")


class EmbedRefused(ValueError):
    pass


def embed_url(url: str, allowed_hosts: tuple[str, ...]) -> str:
    """The embed address for ``url``, or EmbedRefused saying which hosts are allowed."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    allowed = ", ".join(allowed_hosts)
    if parts.scheme != "https" or parts.username or parts.password or parts.port:
        raise EmbedRefused(f"Use an https address from one of: {allowed}.")
    if host in ("youtube.com", "www.youtube.com", "youtu.be", "www.youtube-nocookie.com"):
        if host == "youtu.be":
            video = parts.path.strip("/")
        elif parts.path.startswith("/embed/"):
            video = parts.path.removeprefix("/embed/").strip("/")
        else:
            video = (parse_qs(parts.query).get("v") or [""])[0]
        if not _YOUTUBE_ID.fullmatch(video):
            raise EmbedRefused("That YouTube address has no video in it.")
        candidate = f"https://www.youtube-nocookie.com/embed/{video}"
    elif host in ("vimeo.com", "player.vimeo.com"):
        video = parts.path.removeprefix("/video/").strip("/")
        if not _VIMEO_ID.fullmatch(video):
            raise EmbedRefused("That Vimeo address has no video in it.")
        candidate = f"https://player.vimeo.com/video/{video}"
    else:
        raise EmbedRefused(
            f"Videos can be embedded from {allowed} only; {host or url!r} is not one."
        )
    if urlsplit(candidate).hostname not in allowed_hosts:
        raise EmbedRefused(f"Videos can be embedded from {allowed} only.")
    return candidate


def frame_hosts(allowed_hosts: tuple[str, ...]) -> list[str]:
    """The origins the Content-Security-Policy lets pages frame."""
    return [f"https://{host}" for host in allowed_hosts]
