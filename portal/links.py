"""Absolute links, built from ``PORTAL_BASE_URL`` and never from the request.

A link in an email, a calendar file or an API answer outlives the request that made
it, and whoever sent that request chose its ``Host`` header: an external ``url_for``
would mail a victim a sign-in link to the attacker's server. So every absolute URL
comes from ``external_url``, which builds on the configured public address, the same
inside a request and in a job or CLI command. Nothing else may build external URLs
(``tests/test_links.py`` checks the source).

Requests for a Host that is not ours are refused by Flask's ``TRUSTED_HOSTS``
(``default_trusted_hosts`` when it is not set) with a plain 400.
"""

from urllib.parse import urlsplit

from flask import Flask, current_app
from werkzeug.exceptions import SecurityError

# Development also answers on the loopback names `make run` and browsers use.
_DEVELOPMENT_HOSTS = ("127.0.0.1", "localhost")


def external_url(endpoint: str, **values) -> str:
    """The absolute URL of ``endpoint`` (a full name such as ``"tours.manage"``) on
    ``PORTAL_BASE_URL``, with ``values`` as for ``url_for`` (None values are left out)."""
    base = urlsplit(current_app.config["PORTAL_BASE_URL"])
    adapter = current_app.url_map.bind(
        base.netloc, script_name=base.path or "/", url_scheme=base.scheme
    )
    values = {name: value for name, value in values.items() if value is not None}
    current_app.inject_url_defaults(endpoint, values)
    return adapter.build(endpoint, values, force_external=True)


def base_host(base_url: str | None) -> str | None:
    """The host name (no port) of a base URL such as ``https://homes.example.com``."""
    return urlsplit(base_url).hostname if base_url else None


def default_trusted_hosts(base_url: str | None, *, development: bool) -> list[str] | None:
    """``TRUSTED_HOSTS`` when not configured: the host of ``base_url``, plus 127.0.0.1
    and localhost in development.

    None (any host) only when there is nothing to derive it from, which production
    refuses at start-up anyway (no ``PORTAL_BASE_URL``).
    """
    hosts = [host] if (host := base_host(base_url)) else []
    if development:
        hosts += [h for h in _DEVELOPMENT_HOSTS if h not in hosts]
    return hosts or None


def _refuse_unknown_host(exc: SecurityError):
    # Plain text: an error page would build its links for the very host we refuse.
    return "Unknown host: this address is not served here.", 400, {"Content-Type": "text/plain"}


def register(app: Flask) -> None:
    """Refuse requests for hosts not in ``TRUSTED_HOSTS`` with a 400 (never a 500);
    without ``TRUSTED_HOSTS`` configured, trust the host of ``PORTAL_BASE_URL``."""
    if app.config.get("TRUSTED_HOSTS") is None:
        app.config["TRUSTED_HOSTS"] = default_trusted_hosts(
            app.config.get("PORTAL_BASE_URL"),
            development=app.config.get("ENV_NAME") != "production",
        )
    app.register_error_handler(SecurityError, _refuse_unknown_host)
