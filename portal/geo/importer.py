"""`flask geo import`: read an extract, prepare routing, swap the region in atomically.

Two phases so a failure never leaves half a region behind:
1. ``prepare_region`` reads the file and writes a *new* versioned data directory
   (routing files and the street network); nothing in the database changes.
2. ``store_region`` replaces the region's rows in the caller's transaction and
   points it at the new directory; the old directory is removed only after commit
   (``discard_directory``). A corrupt file fails in phase 1 and the previous data stays.
"""

import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from portal.extensions import db
from portal.geo.address_style import ADDRESS_ORDERS, infer_city, infer_country
from portal.geo.coverage import build_coverage, forget_coverage
from portal.geo.extract_reader import ExtractData, read_extract
from portal.geo.gazetteer_text import leading_number, street_key
from portal.geo.routing import OsrmBindingsEngine
from portal.geo.routing_prep import prepare_routing, remove_tree, small_component_size
from portal.geo.transit_stops import merge_transit_stops
from portal.models import GeoAddress, GeoPlace, GeoRegion, TransitRoute

NETWORK_FILE = "network.json"
REGION_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")


@dataclass
class PreparedRegion:
    data: ExtractData
    data_dir: Path
    source_name: str


@dataclass
class ImportReport:
    region: GeoRegion
    counts: dict[str, int]
    old_data_dir: str | None


def check_region_name(name: str) -> str:
    if not REGION_NAME.match(name):
        raise ValueError("A region name is lower-case letters, digits, '-' or '_' (max 80).")
    return name


def prepare_region(
    pbf: str | Path,
    data_root: str | Path,
    name: str,
    progress: Callable[[int], None] | None = None,
) -> PreparedRegion:
    """Read ``pbf`` and write routing data to a fresh ``data_root/<name>/<version>/``.

    :raises ExtractError: the file is not a readable extract.
    :raises RoutingPreparationError: OSRM rejected it.
    """
    check_region_name(name)
    pbf = Path(pbf)
    data = read_extract(pbf, progress)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    data_dir = Path(data_root) / name / f"{stamp}-{secrets.token_hex(3)}"
    try:
        prepare_routing(pbf, data_dir, component_size=small_component_size(data.street_node_count))
        network = {
            "streets": data.streets,
            "intersections": data.intersections,
            "blocks": data.blocks,
        }
        (data_dir / NETWORK_FILE).write_text(json.dumps(network), encoding="utf-8")
    except BaseException:
        remove_tree(data_dir)
        raise
    return PreparedRegion(data=data, data_dir=data_dir, source_name=pbf.name)


@dataclass(frozen=True)
class RegionOptions:
    """What an import may set by hand instead of reading it from the extract.

    :param country: ISO 3166 alpha-2 code (decides how addresses are written).
    :param address_order: ``number_first`` or ``number_last``, against the country's habit.
    :param city: the city name shown for addresses that carry none.
    """

    country: str | None = None
    address_order: str | None = None
    city: str | None = None

    def __post_init__(self):
        if self.country is not None and not re.fullmatch(r"[A-Za-z]{2}", self.country):
            raise ValueError("A country is a two-letter ISO code, for example GB or FI.")
        if self.address_order is not None and self.address_order not in ADDRESS_ORDERS:
            raise ValueError(f"The address order is one of {', '.join(ADDRESS_ORDERS)}.")


def store_region(
    name: str, prepared: PreparedRegion, options: RegionOptions | None = None
) -> ImportReport:
    """Replace region ``name``'s rows with the prepared data (flushes; the caller commits)."""
    options = options or RegionOptions()
    data = prepared.data
    region = db.session.scalar(sa.select(GeoRegion).where(GeoRegion.name == name))
    old_dir = None
    if region is None:
        region = GeoRegion(name=name)
        db.session.add(region)
    else:
        old_dir = region.data_dir
        for model in (GeoPlace, GeoAddress, TransitRoute):
            db.session.execute(sa.delete(model).where(model.region_id == region.id))
    min_lat, min_lon, max_lat, max_lon = data.bbox
    places = merge_transit_stops(data.pois)
    region.source_name = prepared.source_name[:255]
    region.data_dir = str(prepared.data_dir)
    region.min_lat, region.min_lon, region.max_lat, region.max_lon = data.bbox
    region.imported_at = datetime.now(UTC)
    addresses = [tidy_address(a) for a in data.addresses]
    region.country = (options.country or infer_country(addresses) or "").upper()
    region.address_order = options.address_order or ""
    region.city = (options.city or infer_city(addresses))[:100]
    region.coverage = build_coverage(data.streets)
    counts = {
        "places": len(places),
        "addresses": len(addresses),
        "transit_routes": len(data.routes),
        "streets": len(data.streets),
    }
    region.stats = counts | {"by_category": _by_category(places)}
    db.session.flush()
    rid = region.id
    if places:
        rows = [{**p, "name": p["name"][:200], "region_id": rid} for p in places]
        db.session.execute(sa.insert(GeoPlace), rows)
    if addresses:
        db.session.execute(sa.insert(GeoAddress), [_address_row(a, rid) for a in addresses])
    if data.routes:
        db.session.execute(
            sa.insert(TransitRoute),
            [
                {
                    "region_id": rid,
                    "mode": r["mode"],
                    "ref": r["ref"][:40],
                    "name": r["name"][:200],
                    "stops": r["stops"],
                }
                for r in data.routes
            ],
        )
    db.session.flush()
    return ImportReport(region=region, counts=counts, old_data_dir=old_dir)


def _by_category(places: list[dict]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for place in places:
        counts[place["category"]] = counts.get(place["category"], 0) + 1
    return dict(sorted(counts.items()))


_NUMBERED_STREET = re.compile(r"^(\d{1,5}[a-zA-Z]?)\s+(\D.*)$")
_NUMBER_TAIL = re.compile(r"(?:^|,\s*)(\d{1,5}[a-zA-Z]?(?:-\d{1,5}[a-zA-Z]?)?)$")


def tidy_address(address: dict) -> dict:
    """Repair the common mis-taggings that would hide an address from every search.

    ``addr:street="2 Bayfront Avenue, Galleria Level"`` with ``addr:housenumber="#B1-01E"``
    is number 2 on Bayfront Avenue (the unit in the wrong tag); ``addr:street="Bayfront
    Ave, #B2-20"`` is Bayfront Ave; ``addr:housenumber="Level 57, 10"`` is number 10.
    """
    street, number = address["street"], address["housenumber"]
    if "," in street:
        first = street.split(",")[0].strip()
        numbered = _NUMBERED_STREET.match(first)
        if numbered and not any(c.isdigit() for c in number.split("-")[0][:1]):
            number, first = numbered.group(1), numbered.group(2).strip()
        elif numbered:
            first = numbered.group(2).strip()
        street = first
    if "," in number:
        tail = _NUMBER_TAIL.search(number.strip())
        if tail:
            number = tail.group(1)
    return address | {"street": street, "housenumber": number}


def _address_row(address: dict, region_id: int) -> dict:
    return {
        "region_id": region_id,
        "street": address["street"][:200],
        "street_key": street_key(address["street"])[:200],
        "housenumber": address["housenumber"][:40],
        "number": leading_number(address["housenumber"]),
        "postcode": address["postcode"][:20],
        "city": address["city"][:100],
        "lat": address["lat"],
        "lon": address["lon"],
    }


def discard_directory(path: str | None) -> None:
    """Remove a replaced region's data directory (after the swap was committed)."""
    if path:
        OsrmBindingsEngine.forget(path)
        forget_coverage(path)
        _NETWORKS.pop(path, None)
        remove_tree(Path(path))


def load_network(data_dir: str | Path) -> dict:
    """The region's walkable streets, intersections and blocks written at import."""
    return _network_cache(str(data_dir))


_NETWORKS: dict[str, dict] = {}


def _network_cache(data_dir: str) -> dict:
    network = _NETWORKS.get(data_dir)
    if network is None:
        path = Path(data_dir) / NETWORK_FILE
        network = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        network.setdefault("streets", [])
        network.setdefault("intersections", [])
        network.setdefault("blocks", [])
        _NETWORKS[data_dir] = network
    return network
