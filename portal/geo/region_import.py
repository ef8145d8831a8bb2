"""Import an OSM extract as a region, as one unit of work (``flask geo import`` and ``geo demo``).

Unlike the flush-only services, this commits: the new data directory may replace the
old one only once the rows that point at it are committed, and on failure the new
directory is removed after the rollback, so the previous import stays in use.
"""

from collections.abc import Callable
from pathlib import Path

from portal.extensions import db
from portal.geo.importer import discard_directory, prepare_region, store_region
from portal.geo.neighbourhood_store import refresh_all_neighbourhoods
from portal.geo.settings import GeoSettings


def import_region(
    pbf: Path, name: str, settings: GeoSettings, progress: Callable[[int], None] | None = None
) -> dict:
    """Import ``pbf`` as region ``name``, refresh every neighbourhood, commit once.

    :param progress: called with a rough count of objects read, for a progress bar.
    :returns: the import's counts (places, addresses, transit routes...) and
        ``neighbourhoods``, the number of summaries recomputed.
    """
    prepared = prepare_region(pbf, settings.data_dir, name, progress)
    try:
        report = store_region(name, prepared)
        refreshed = refresh_all_neighbourhoods(settings)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        discard_directory(str(prepared.data_dir))
        raise
    discard_directory(report.old_data_dir)
    return report.counts | {"neighbourhoods": refreshed}
