"""Tiny OSM extracts written with pyosmium, for import edge cases."""

from pathlib import Path

import osmium


def write_extract(path: Path, nodes: dict[int, tuple[float, float, dict]], ways: list[tuple]):
    """Write ``nodes`` ({id: (lat, lon, tags)}) and ``ways`` ([(id, [node ids], tags)]) as PBF.

    Way node ids missing from ``nodes`` stay as dangling references, like a cut extract.
    """
    with osmium.SimpleWriter(str(path)) as writer:
        for node_id, (lat, lon, tags) in sorted(nodes.items()):
            writer.add_node(osmium.osm.mutable.Node(id=node_id, location=(lon, lat), tags=tags))
        for way_id, refs, tags in sorted(ways):
            writer.add_way(osmium.osm.mutable.Way(id=way_id, nodes=refs, tags=tags))
    return path


def street_grid(origin=(60.2, 24.8), size=3, step=0.001) -> tuple[dict, list]:
    """A small square street grid with no places at all (ids from 1)."""
    nodes = {}
    for i in range(size):
        for j in range(size):
            nodes[1 + i * size + j] = (origin[0] + i * step, origin[1] + j * step * 2, {})
    ways = []
    for i in range(size):
        row = [1 + i * size + j for j in range(size)]
        col = [1 + j * size + i for j in range(size)]
        ways.append((100 + i, row, {"highway": "residential", "name": f"Katu {i}"}))
        ways.append((200 + i, col, {"highway": "residential", "name": f"Tie {i}"}))
    return nodes, ways
