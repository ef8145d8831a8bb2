"""Security headers on every response, decided here and nowhere else.

- A Content-Security-Policy that allows our own files only: no inline script or
  style (htmx's indicator style is in ``portal.css``, switched off in its meta config),
  map tiles from ``MAP_TILE_URL`` when one is set, and no framing by anyone.
- ``X-Frame-Options``, ``X-Content-Type-Options`` and ``Referrer-Policy`` for browsers
  that read those rather than the CSP; HSTS in production (``HSTS_SECONDS``).
- ``Cache-Control: no-store`` on every page or answer with someone's personal data,
  chosen by URL below, so a new view under those prefixes is covered without a line.

A header a view or blueprint already set wins (the tours pages keep ``no-referrer``;
the development outbox's mail preview keeps its sandbox policy).
"""

import re
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, request

REFERRER_POLICY = "strict-origin-when-cross-origin"
NO_STORE = "private, no-store"
# Pages and answers carrying a person's data: a prospect's account and data export,
# staff pages, sign-in, a tour's manage pages and API answers, the development mailbox,
# a visitor's saved commute places, the marketers' studio (drafts not yet public).
PERSONAL_PATHS = re.compile(r"^/(me|staff|studio|auth|tours|dev|commute)(/|$)|^/api/v1/tours(/|$)")
# The outbox preview shows a mail's HTML part in an iframe of its own page.
FRAMED_BY_OWN_PAGES = {"devtools.outbox_email_html"}


def content_security_policy(tile_url: str | None, frame_hosts: tuple[str, ...] = ()) -> str:
    """Our policy; ``tile_url`` (a Leaflet URL template) adds its host to ``img-src``,
    ``frame_hosts`` (the studio's video embed hosts) are the only pages we frame."""
    images = ["'self'"]
    if tile_url:
        parts = urlsplit(tile_url.replace("{s}", "*"))
        images.append(f"{parts.scheme}://{parts.netloc}")
    # Pannellum fetches a panorama (from us) and draws it from a blob: URL it makes.
    images.append("blob:")
    directives = {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": " ".join(images),
        "connect-src": "'self'",
        "font-src": "'self'",
        "frame-src": " ".join(f"https://{h}" for h in frame_hosts) or "'none'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def is_personal(path: str) -> bool:
    return PERSONAL_PATHS.match(path) is not None


def add_security_headers(response: Response) -> Response:
    config = current_app.config
    if not config["SECURITY_HEADERS_ENABLED"]:
        return response
    headers = response.headers
    framed = request.endpoint in FRAMED_BY_OWN_PAGES
    headers.setdefault("Content-Security-Policy", config["CONTENT_SECURITY_POLICY"])
    headers.setdefault("X-Frame-Options", "SAMEORIGIN" if framed else "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", REFERRER_POLICY)
    if config["HSTS_SECONDS"]:
        headers.setdefault(
            "Strict-Transport-Security", f"max-age={config['HSTS_SECONDS']}; includeSubDomains"
        )
    if is_personal(request.path) and "no-store" not in headers.get("Cache-Control", ""):
        headers["Cache-Control"] = NO_STORE
    return response


def register(app: Flask) -> None:
    app.config.setdefault(
        "CONTENT_SECURITY_POLICY",
        content_security_policy(
            app.config.get("MAP_TILE_URL"), tuple(app.config.get("STUDIO_EMBED_HOSTS", ()))
        ),
    )
    app.after_request(add_security_headers)
