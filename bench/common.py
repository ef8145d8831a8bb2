"""Timing, percentiles and reporting shared by the benchmarks."""

import json
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, is_dataclass
from pathlib import Path

RESULTS_DIR = Path(__file__).resolve().parent / "results"


@dataclass(frozen=True)
class Stats:
    """Latency figures in milliseconds, plus throughput when known."""

    count: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    mean_ms: float
    per_second: float | None = None
    errors: int = 0

    @classmethod
    def from_seconds(cls, samples: list[float], *, elapsed: float | None = None, errors: int = 0):
        ms = sorted(s * 1000 for s in samples)
        if not ms:
            return cls(0, 0.0, 0.0, 0.0, 0.0, 0.0, errors)
        return cls(
            count=len(ms),
            p50_ms=percentile(ms, 50),
            p95_ms=percentile(ms, 95),
            p99_ms=percentile(ms, 99),
            mean_ms=statistics.fmean(ms),
            per_second=(len(ms) / elapsed) if elapsed else None,
            errors=errors,
        )


def median_of_rounds(rounds: list["Stats"]) -> dict:
    """Throughput and latency medians over rounds of one server, and their errors."""
    return {
        "req/s": statistics.median(s.per_second for s in rounds),
        "p50 ms": statistics.median(s.p50_ms for s in rounds),
        "p95 ms": statistics.median(s.p95_ms for s in rounds),
        "errors": sum(s.errors for s in rounds),
    }


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return 0.0
    rank = max(1, round(pct / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def time_calls(fn: Callable[[], object], repeat: int, warmup: int = 1) -> Stats:
    """Call ``fn`` ``warmup + repeat`` times; statistics over the timed calls."""
    for _ in range(warmup):
        fn()
    samples = []
    started = time.perf_counter()
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return Stats.from_seconds(samples, elapsed=time.perf_counter() - started)


def ratio(value: float, baseline: float) -> float:
    return value / baseline if baseline else float("inf")


def print_table(title: str, rows: list[dict]) -> None:
    """Print rows (dicts with the same keys) as an aligned table."""
    print(f"\n== {title}")
    if not rows:
        print("(no rows)")
        return
    keys = list(rows[0])
    cells = [[_fmt(row[k]) for k in keys] for row in rows]
    widths = [max(len(k), *(len(c[i]) for c in cells)) for i, k in enumerate(keys)]
    print("  ".join(k.ljust(w) for k, w in zip(keys, widths, strict=True)))
    for c in cells:
        print("  ".join(v.ljust(w) for v, w in zip(c, widths, strict=True)))


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def save_results(name: str, data: dict) -> Path:
    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(data, indent=2, default=_jsonable))
    return path


def _jsonable(value):
    if is_dataclass(value) and not isinstance(value, type):  # Stats, the load run's figures
        return asdict(value)
    raise TypeError(type(value))
