"""Import an OSM extract as a region, as one unit of work (``flask geo import`` and ``geo demo``).

Unlike the flush-only services, this commits: the new data directory may replace the
old one only once the rows that point at it are committed, and on failure the new
directory is removed after the rollback, so the previous import stays in use.
"""

from collections.abc import Callable
from pathlib import Path

from portal.extensions import db
from portal.geo.commute import clear_cache
from portal.geo.importer import RegionOptions, discard_directory, prepare_region, store_region
from portal.geo.neighbourhood_store import refresh_all_neighbourhoods
from portal.geo.settings import GeoSettings


def import_region(
    pbf: Path,
    name: str,
    settings: GeoSettings,
    progress: Callable[[int], None] | None = None,
    options: RegionOptions | None = None,
) -> dict:
    """Import ``pbf`` as region ``name``, refresh every neighbourhood, commit once.

    Other regions stay as they are.

    :param progress: called with a rough count of objects read, for a progress bar.
    :param options: the country, address order or city, when not read from the extract.
    :returns: the import's counts (places, addresses, transit routes...),
        ``neighbourhoods``, the number of summaries recomputed, and the region's
        ``country`` and ``city``.
    """
    prepared = prepare_region(pbf, settings.data_dir, name, progress)
    try:
        report = store_region(name, prepared, options)
        refreshed = refresh_all_neighbourhoods(settings)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        discard_directory(str(prepared.data_dir))
        raise
    discard_directory(report.old_data_dir)
    # This process forgets its commute answers now; other processes key theirs by the
    # region's data directory, which this import replaced, so none of theirs is reused.
    clear_cache()
    region = report.region
    return report.counts | {
        "neighbourhoods": refreshed,
        "country": region.country,
        "city": region.city,
    }
