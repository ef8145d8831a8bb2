"""Geography settings, read once from the app config by the caller and passed in explicitly."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from portal.geo.walkability import WalkabilityFormula

DEFAULT_HEADWAY_MIN = {
    "bus": 10,
    "trolleybus": 10,
    "tram": 8,
    "light_rail": 8,
    "subway": 5,
    "monorail": 5,
    "train": 15,
    "ferry": 30,
}
DEFAULT_SPEED_KMH = {
    "bus": 18,
    "trolleybus": 18,
    "tram": 16,
    "light_rail": 25,
    "subway": 35,
    "monorail": 30,
    "train": 45,
    "ferry": 15,
}


@dataclass(frozen=True)
class GeoSettings:
    """:param routing: ``bindings`` (OSRM in-process) or ``http`` (osrm-routed at ``osrm_urls``).
    :param geocoder: ``local`` (the imported gazetteer) or a geopy service name
        (``nominatim``, ``photon``, ``pelias``...) built with ``geocoder_options``.
    """

    data_dir: str = "instance/geo"
    routing: str = "bindings"
    osrm_urls: Mapping[str, str] = field(default_factory=dict)
    geocoder: str = "local"
    geocoder_options: Mapping[str, object] = field(default_factory=dict)
    headway_min: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_HEADWAY_MIN))
    speed_kmh: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_SPEED_KMH))
    max_access_walk_m: float = 1200.0
    walkability: WalkabilityFormula = field(default_factory=WalkabilityFormula)

    @classmethod
    def from_mapping(cls, config: Mapping) -> "GeoSettings":
        """Build from a Flask config (or any mapping) holding the ``GEO_*`` keys."""
        return cls(
            data_dir=str(config.get("GEO_DATA_DIR", cls.data_dir)),
            routing=config.get("GEO_ROUTING", "bindings"),
            osrm_urls=dict(config.get("GEO_OSRM_URLS") or {}),
            geocoder=config.get("GEO_GEOCODER", "local"),
            geocoder_options=dict(config.get("GEO_GEOCODER_OPTIONS") or {}),
            headway_min=DEFAULT_HEADWAY_MIN | dict(config.get("GEO_TRANSIT_HEADWAY_MIN") or {}),
            speed_kmh=DEFAULT_SPEED_KMH | dict(config.get("GEO_TRANSIT_SPEED_KMH") or {}),
            walkability=WalkabilityFormula.from_overrides(config.get("GEO_WALKABILITY") or {}),
        )
