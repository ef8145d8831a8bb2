"""Figures of the load run: per-endpoint counts and latencies, the fault run against the baseline.

Pure functions over recorded samples, so the smoke test can run them without a server.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from bench.common import percentile, ratio

# Outcomes of one request. 409 ("this time was just taken") and 422 (a field the server
# refused, e.g. a time that stopped being offered) are answers a visitor can expect
# under load, so they are counted apart from errors.
OK, CONFLICT, INVALID, ERROR = "ok", "409", "422", "error"


@dataclass(frozen=True)
class Sample:
    endpoint: str  # method and route, e.g. "GET /listings/<id>"
    status: int  # 0: no answer (connection refused, reset or timed out)
    outcome: str  # OK, CONFLICT, INVALID or ERROR
    seconds: float
    at: float  # seconds since the traffic started


@dataclass(frozen=True)
class EndpointFigures:
    count: int
    ok: int
    conflicts: int
    invalid: int
    errors: int
    server_errors: int  # 5xx or no answer at all; also counted in errors
    p50_ms: float
    p95_ms: float


def classify(status: int, expect: Iterable[int] | None = None) -> str:
    """The outcome of an answer with ``status``; ``expect`` narrows what counts as success."""
    if expect is not None and status in expect:
        return OK
    if expect is None and 200 <= status < 400:
        return OK
    if status == 409:
        return CONFLICT
    if status == 422:
        return INVALID
    return ERROR


def is_server_error(status: int) -> bool:
    return status == 0 or status >= 500


def figures(samples: list[Sample]) -> EndpointFigures:
    """Counts by outcome and nearest-rank p50/p95 over every answered request."""
    ms = sorted(s.seconds * 1000 for s in samples if s.status)
    by = [s.outcome for s in samples]
    return EndpointFigures(
        count=len(samples),
        ok=by.count(OK),
        conflicts=by.count(CONFLICT),
        invalid=by.count(INVALID),
        errors=by.count(ERROR),
        server_errors=sum(is_server_error(s.status) for s in samples),
        p50_ms=percentile(ms, 50),
        p95_ms=percentile(ms, 95),
    )


def by_endpoint(samples: Iterable[Sample]) -> dict[str, EndpointFigures]:
    """Figures per endpoint, endpoints sorted by name, plus ``"total"`` last."""
    groups: dict[str, list[Sample]] = {}
    every: list[Sample] = []
    for s in samples:
        groups.setdefault(s.endpoint, []).append(s)
        every.append(s)
    result = {name: figures(groups[name]) for name in sorted(groups)}
    result["total"] = figures(every)
    return result


def run_rows(run: dict[str, EndpointFigures], seconds: float) -> list[dict]:
    """One table row per endpoint of one run."""
    return [
        {
            "endpoint": name,
            "count": f.count,
            "req/s": f.count / seconds if seconds else 0.0,
            "ok": f.ok,
            "409": f.conflicts,
            "422": f.invalid,
            "errors": f.errors,
            "5xx": f.server_errors,
            "p50 ms": f.p50_ms,
            "p95 ms": f.p95_ms,
        }
        for name, f in run.items()
    ]


def fault_rows(
    baseline: dict[str, EndpointFigures],
    fault: dict[str, EndpointFigures],
    before_kill: dict[str, EndpointFigures],
    after_kill: dict[str, EndpointFigures],
) -> list[dict]:
    """The fault run per endpoint: its p95 against the baseline run's, and after vs before.

    The baseline run is minutes apart from the fault run on a shared machine; the fault
    run's own first half (Redis up) against its second half (Redis dead) is seconds
    apart, so a slowdown the fallbacks cause shows there even when the machine moved.
    """
    rows = []
    for name, f in fault.items():
        base, early, late = baseline.get(name), before_kill.get(name), after_kill.get(name)
        rows.append(
            {
                "endpoint": name,
                "count": f.count,
                "errors": f.errors,
                "5xx": f.server_errors,
                "baseline p95 ms": base.p95_ms if base else None,
                "fault p95 ms": f.p95_ms,
                "fault / baseline": ratio(f.p95_ms, base.p95_ms) if base else None,
                "before kill p95 ms": early.p95_ms if early else None,
                "after kill p95 ms": late.p95_ms if late else None,
                "after / before": ratio(late.p95_ms, early.p95_ms) if early and late else None,
            }
        )
    return rows


def failures(
    baseline: dict[str, EndpointFigures],
    fault: dict[str, EndpointFigures],
    lost: dict[str, dict[str, int]],
    crashes: int = 0,
    unhandled: int = 0,
) -> list[str]:
    """What the run must not show: why the benchmark fails, or an empty list.

    :param lost: per run ("baseline", "fault"), lost bookings and lost changes.
    :param crashes: visits that raised in the load generator itself.
    :param unhandled: exceptions the app logged as unhandled (a 500 the clients may not see).
    """
    found = []
    if baseline["total"].errors:
        found.append(f"baseline run: {baseline['total'].errors} errors")
    if fault["total"].server_errors:
        found.append(f"fault run: {fault['total'].server_errors} 5xx or unanswered requests")
    for run, counts in lost.items():
        found.extend(f"{run} run: {n} {what}" for what, n in counts.items() if n)
    if crashes:
        found.append(f"{crashes} visits crashed in the load generator")
    if unhandled:
        found.append(f"{unhandled} unhandled exceptions in the gunicorn log")
    return found


def markdown_table(rows: list[dict]) -> str:
    """Rows as a Markdown table (for bench/README.md), floats to 2 decimals, None as –."""
    if not rows:
        return ""
    keys = list(rows[0])

    def cell(value) -> str:
        if value is None:
            return "–"
        return f"{value:.2f}" if isinstance(value, float) else str(value)

    lines = ["| " + " | ".join(keys) + " |", "|" + " --- |" * len(keys)]
    lines += ["| " + " | ".join(cell(row[k]) for k in keys) + " |" for row in rows]
    return "\n".join(lines)
