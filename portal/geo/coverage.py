"""The area a region covers: its street network buffered, as a grid of cells.

A bounding box counts the sea, a park's far side or the empty corner of a cut
extract as covered; a point there snaps to a street hundreds of metres away and its
"commute" is mostly an invented walk. The outline is the set of grid cells within
``COVERAGE_BUFFER_M`` of a walkable street, computed once at import and stored with
the region as row runs; a lookup is a box check and one cell test.
"""

import math
import threading

COVERAGE_BUFFER_M = 250.0
MIN_CELL_M = 50.0
MAX_CELLS = 1_000_000  # the cell grows for very large regions so the grid stays small
M_PER_DEG_LAT = 111_320.0

_decoded: dict[str, "Outline"] = {}
_lock = threading.Lock()


def build_coverage(streets: list[dict], buffer_m: float = COVERAGE_BUFFER_M) -> dict | None:
    """The buffered outline of ``streets`` ({coords: [[lat, lon], ...]}), or None without any."""
    points = [p for street in streets for p in street["coords"]]
    if not points:
        return None
    min_lat = min(p[0] for p in points)
    max_lat = max(p[0] for p in points)
    min_lon = min(p[1] for p in points)
    max_lon = max(p[1] for p in points)
    cos_lat = max(math.cos(math.radians((min_lat + max_lat) / 2)), 0.01)
    height_m = (max_lat - min_lat) * M_PER_DEG_LAT + 2 * buffer_m
    width_m = (max_lon - min_lon) * M_PER_DEG_LAT * cos_lat + 2 * buffer_m
    cell_m = max(MIN_CELL_M, math.sqrt(height_m * width_m / MAX_CELLS))
    dlat = cell_m / M_PER_DEG_LAT
    dlon = cell_m / (M_PER_DEG_LAT * cos_lat)
    lat0 = min_lat - buffer_m / M_PER_DEG_LAT
    lon0 = min_lon - buffer_m / (M_PER_DEG_LAT * cos_lat)
    rows = int(height_m / cell_m) + 2
    cols = int(width_m / cell_m) + 2

    # Cells the streets pass through (sampled every half cell along each segment).
    street_cells: set[tuple[int, int]] = set()
    for street in streets:
        coords = street["coords"]
        for (a_lat, a_lon), (b_lat, b_lon) in zip(coords, coords[1:], strict=False):
            steps = max(1, int(2 * max(abs(b_lat - a_lat) / dlat, abs(b_lon - a_lon) / dlon)) + 1)
            for k in range(steps + 1):
                lat = a_lat + (b_lat - a_lat) * k / steps
                lon = a_lon + (b_lon - a_lon) * k / steps
                street_cells.add((int((lat - lat0) / dlat), int((lon - lon0) / dlon)))
        if len(coords) == 1:
            street_cells.add((int((coords[0][0] - lat0) / dlat), int((coords[0][1] - lon0) / dlon)))
    # Stamp a disc of the buffer's radius around each street cell, row by row.
    reach = buffer_m / cell_m
    span = int(math.ceil(reach))
    grid = [bytearray(cols) for _ in range(rows)]
    for row, col in street_cells:
        for d_row in range(-span, span + 1):
            r = row + d_row
            if not 0 <= r < rows:
                continue
            half = int(math.sqrt(max(0.0, reach * reach - max(0, abs(d_row) - 1) ** 2)))
            c0, c1 = max(0, col - half), min(cols, col + half + 1)
            if c0 < c1:
                grid[r][c0:c1] = b"\x01" * (c1 - c0)
    runs = []
    for r, line in enumerate(grid):
        c = 0
        while c < cols:
            if line[c]:
                start = c
                while c < cols and line[c]:
                    c += 1
                runs.append([r, start, c])
            else:
                c += 1
    return {
        "origin": [lat0, lon0],
        "cell": [dlat, dlon],
        "shape": [rows, cols],
        "buffer_m": buffer_m,
        "runs": runs,
    }


class Outline:
    """A region's box and outline grid as plain values, for tests in tight loops."""

    def __init__(self, box: tuple[float, float, float, float], coverage: dict | None):
        self.min_lat, self.min_lon, self.max_lat, self.max_lon = box
        self.grid: list[bytearray] | None = None
        if coverage is not None:
            rows, cols = coverage["shape"]
            self.grid = [bytearray(cols) for _ in range(rows)]
            for r, c0, c1 in coverage["runs"]:
                self.grid[r][c0:c1] = b"\x01" * (c1 - c0)
            self.lat0, self.lon0 = coverage["origin"]
            self.dlat, self.dlon = coverage["cell"]

    def contains(self, lat: float, lon: float) -> bool:
        if not (self.min_lat <= lat <= self.max_lat and self.min_lon <= lon <= self.max_lon):
            return False
        if self.grid is None:
            return True
        row = math.floor((lat - self.lat0) / self.dlat)
        col = math.floor((lon - self.lon0) / self.dlon)
        grid = self.grid
        return 0 <= row < len(grid) and 0 <= col < len(grid[row]) and bool(grid[row][col])


def outline_of(key: str, box: tuple[float, float, float, float], coverage_of) -> Outline:
    """The outline of the region whose data directory is ``key``, decoded once per import.

    :param coverage_of: called (only when not cached yet) for the stored coverage.
    """
    with _lock:
        outline = _decoded.get(key)
    if outline is None:
        outline = Outline(box, coverage_of())
        with _lock:
            _decoded[key] = outline
    return outline


def forget_coverage(key: str) -> None:
    with _lock:
        _decoded.pop(key, None)
