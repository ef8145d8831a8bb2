"""Friendly error pages for people, JSON errors for the API."""

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def api_error(status: int, code: str, message: str, fields: dict | None = None):
    body: dict = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    return jsonify(body), status


def _exception_headers(exc: HTTPException) -> list[tuple[str, str]]:
    """What the exception says besides its body: ``Allow`` on a 405, ``Retry-After``, ..."""
    return [(name, value) for name, value in exc.get_headers() if name.lower() != "content-type"]


def _handle_http(exc: HTTPException):
    headers = _exception_headers(exc)
    if wants_json():
        code = (exc.name or "error").lower().replace(" ", "_")
        body, status = api_error(exc.code or 500, code, exc.description or exc.name)
        return body, status, headers
    template = "errors/404.html" if exc.code == 404 else "errors/generic.html"
    return render_template(template, error=exc), exc.code, headers


def _handle_unexpected(exc: Exception):
    log.exception("unhandled error on %s %s", request.method, request.path)
    return _handle_http(InternalServerError())


def _handle_csrf(exc: CSRFError):
    # The raw reason ("The CSRF token is missing.") means nothing to a visitor.
    exc.description = (
        "This form had expired or did not come from our site, so nothing was saved. "
        "Please go back, reload the page and send it again."
    )
    return _handle_http(exc)


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, _handle_csrf)
    app.register_error_handler(HTTPException, _handle_http)
    app.register_error_handler(Exception, _handle_unexpected)
