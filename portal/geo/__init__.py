"""Geography: OSM import, offline geocoding, routing, transit estimate, neighbourhood scoring.

Nothing in this package imports Flask: settings arrive as explicit arguments (see
``portal.geo.settings.GeoSettings``), so the same code serves pages, the API, CLI
commands, benchmarks and (later) agent briefs and follow-ups.
"""
