"""The app's GeoSettings, built once per app from its config (portal.geo takes them explicitly)."""

from flask import current_app

from portal.geo.settings import GeoSettings


def geo_settings() -> GeoSettings:
    settings = current_app.extensions.get("geo_settings")
    if settings is None:
        settings = GeoSettings.from_mapping(current_app.config)
        current_app.extensions["geo_settings"] = settings
    return settings
