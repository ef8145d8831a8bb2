"""Typed settings built once per app from its config, for code that takes them explicitly.

Engines and services never read ``current_app.config`` themselves: views, CLI
commands and jobs call these and pass the result on.
"""

from flask import current_app

from portal.geo.settings import GeoSettings


def geo_settings() -> GeoSettings:
    """The app's GeoSettings (built on first use, then kept on the app)."""
    settings = current_app.extensions.get("geo_settings")
    if settings is None:
        settings = GeoSettings.from_mapping(current_app.config)
        current_app.extensions["geo_settings"] = settings
    return settings
