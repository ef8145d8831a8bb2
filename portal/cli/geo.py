"""`flask geo import`, `geo neighbourhoods` and `geo demo`: the only writers of region data."""

from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app

from portal.extensions import db
from portal.geo.address_style import ADDRESS_ORDERS
from portal.geo.extract_reader import ExtractError
from portal.geo.importer import RegionOptions
from portal.geo.neighbourhood_store import refresh_all_neighbourhoods
from portal.geo.region_import import import_region
from portal.geo.routing_prep import RoutingPreparationError
from portal.geo.settings import GeoSettings
from portal.models import GeoRegion


@click.group()
def geo() -> None:
    """OpenStreetMap regions: import, neighbourhood precompute."""


@geo.command("import")
@click.argument("pbf", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", help="Region name (default: the file name without .osm.pbf).")
@click.option("--country", help="ISO country code (default: read from the extract's addresses).")
@click.option(
    "--address-order",
    type=click.Choice(ADDRESS_ORDERS),
    help="Where the house number goes (default: the country's habit).",
)
@click.option("--city", help="City shown for addresses without one (default: the most common).")
def geo_import(
    pbf: Path, name: str | None, country: str | None, address_order: str | None, city: str | None
) -> None:
    """Import an OSM extract: places, addresses, transit routes and routing data.

    Several extracts can be imported side by side, each under its own name.
    """
    name = name or pbf.name.split(".")[0].lower()
    settings = GeoSettings.from_mapping(current_app.config)
    size = max(1, pbf.stat().st_size // 25) if pbf.is_file() else 1  # rough object count
    try:
        options = RegionOptions(country=country, address_order=address_order, city=city)
        with click.progressbar(length=size, label=f"Importing {pbf.name}") as bar:
            counts = import_region(pbf, name, settings, bar.update, options)
            bar.update(size)
    except (ExtractError, RoutingPreparationError, ValueError) as exc:
        message = f"{str(exc).rstrip('.')}. The previous data of '{name}' is unchanged."
        raise click.ClickException(message) from exc
    where = ", ".join(part for part in (counts["city"], counts["country"]) if part)
    click.echo(
        f"Region '{name}'{f' ({where})' if where else ''}: {counts['places']} places, "
        f"{counts['addresses']} addresses, "
        f"{counts['transit_routes']} transit routes, routing for walk/bike/drive; "
        f"{counts['neighbourhoods']} neighbourhoods computed."
    )


@geo.command("neighbourhoods")
def geo_neighbourhoods() -> None:
    """Recompute every property's neighbourhood summary."""
    count = refresh_all_neighbourhoods(GeoSettings.from_mapping(current_app.config))
    db.session.commit()
    click.echo(f"{count} neighbourhoods computed.")


@geo.command("demo")
@click.option("--if-missing", is_flag=True, help="Skip when the demo region is already imported.")
def geo_demo(if_missing: bool) -> None:
    """Import the bundled central-Helsinki extract as the demo region."""
    name = current_app.config["GEO_DEMO_REGION"]
    region = db.session.scalar(sa.select(GeoRegion).where(GeoRegion.name == name))
    if if_missing and region is not None and Path(region.data_dir).is_dir():
        click.echo(f"Region '{name}' is already imported; nothing to do.")
        return
    settings = GeoSettings.from_mapping(current_app.config)
    counts = import_region(Path(current_app.config["DEMO_PBF"]), name, settings)
    click.echo(
        f"Region '{name}': {counts['places']} places, {counts['addresses']} addresses; "
        f"{counts['neighbourhoods']} neighbourhoods computed."
    )
