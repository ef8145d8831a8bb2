"""The app's settings objects, built once per app from its config.

Engines take their settings explicitly (``portal.geo`` never reads Flask); views,
the API and jobs get them here.
"""

from flask import current_app

from portal.geo.settings import GeoSettings


def geo_settings() -> GeoSettings:
    settings = current_app.extensions.get("geo_settings")
    if settings is None:
        settings = GeoSettings.from_mapping(current_app.config)
        current_app.extensions["geo_settings"] = settings
    return settings
