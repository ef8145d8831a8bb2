"""Prepare OSRM routing data (extract, partition, customize: the MLD pipeline) per profile.

The profiles ship inside the osrm-bindings package; the three profiles run in
parallel processes, because each pipeline is single-file and mostly single-threaded.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import osrm

PROFILE_DIR = Path(osrm.__file__).resolve().parent / "share" / "profiles"
# Our commute modes and the OSRM profile that routes each.
PROFILES = {"walk": "foot", "bike": "bicycle", "drive": "car"}
BASE_NAME = "region"


class RoutingPreparationError(RuntimeError):
    """OSRM could not prepare the extract; the message carries its last output lines."""


def osrm_base(data_dir: Path, mode: str) -> Path:
    """The ``.osrm`` base path of one mode's prepared data."""
    return Path(data_dir) / PROFILES[mode] / f"{BASE_NAME}.osrm"


def small_component_size(street_nodes: int) -> int:
    """OSRM's threshold below which a strongly connected piece of network is "small".

    Snapping prefers big components, so a point next to a dead-end garage ramp still
    snaps to the street grid. OSRM's default (1000 nodes) is right for cities but
    larger than the whole grid of a small cut extract, where every piece would be
    "small" and points would snap into isolated fragments; scale it down there.
    """
    return max(20, min(1000, street_nodes // 20))


def prepare_routing(
    pbf: Path,
    data_dir: Path,
    modes: tuple[str, ...] = tuple(PROFILES),
    component_size: int = 1000,
) -> None:
    """Write prepared routing data for ``modes`` under ``data_dir/<profile>/``.

    :param component_size: see ``small_component_size``.

    :raises RoutingPreparationError: a step failed (for example on a corrupt file).
    """
    pbf = Path(pbf).resolve()
    running = []
    for mode in modes:
        profile = PROFILES[mode]
        out = Path(data_dir) / profile
        out.mkdir(parents=True, exist_ok=True)
        base = out / f"{BASE_NAME}.osrm"
        commands = [
            [
                "extract",
                "-p",
                str(PROFILE_DIR / f"{profile}.lua"),
                "--small-component-size",
                str(component_size),
                str(pbf),
                "-o",
                str(base),
            ],
            ["partition", str(base)],
            ["customize", str(base)],
        ]
        running.append((profile, commands, iter(commands)))
    # Run the profiles side by side, each one's steps in order.
    active = {}
    for profile, _, steps in running:
        active[profile] = (steps, _start(next(steps)))
    while active:
        for profile in list(active):
            steps, proc = active[profile]
            out, _ = proc.communicate()
            if proc.returncode != 0:
                for _, other in active.values():
                    if other.poll() is None:
                        other.kill()
                        other.communicate()
                tail = "\n".join(out.decode(errors="replace").strip().splitlines()[-3:])
                raise RoutingPreparationError(f"OSRM could not prepare the {profile} data: {tail}")
            step = next(steps, None)
            if step is None:
                del active[profile]
            else:
                active[profile] = (steps, _start(step))


def _start(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603  (our own interpreter and fixed arguments)
        [sys.executable, "-m", "osrm", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
