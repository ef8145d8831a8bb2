"""The load benchmark's pure parts, so `python -m bench load` does not rot between runs.

The benchmark itself needs gunicorn, PostgreSQL and Redis for minutes; it is not run here.
"""

import pytest

from bench import __main__ as bench_cli
from bench import bench_load
from bench.load_report import (
    CONFLICT,
    ERROR,
    INVALID,
    OK,
    Sample,
    by_endpoint,
    classify,
    failures,
    fault_rows,
    markdown_table,
    run_rows,
)
from bench.load_traffic import VISITS, Visitor


def _samples(endpoint: str, statuses_and_ms: list[tuple[int, float]], at: float = 0.0):
    return [
        Sample(endpoint, status, classify(status), ms / 1000, at) for status, ms in statuses_and_ms
    ]


@pytest.mark.parametrize(
    ("status", "expect", "outcome"),
    [
        (200, None, OK),
        (303, None, OK),
        (409, None, CONFLICT),
        (422, None, INVALID),
        (429, None, ERROR),
        (500, None, ERROR),
        (0, None, ERROR),
        (302, (200,), ERROR),
        (302, (302, 303), OK),
    ],
)
def test_classify_counts_409_and_422_apart_from_errors(status, expect, outcome):
    """409 and 422 are expected answers under load; anything else off the mark is an error."""
    assert classify(status, expect) == outcome


def test_figures_per_endpoint_and_in_total():
    """Counts by outcome, 5xx including unanswered requests, nearest-rank p50 and p95."""
    samples = _samples("GET /", [(200, ms) for ms in range(1, 21)]) + _samples(
        "POST /api/v1/tours", [(201, 10), (409, 20), (422, 30), (500, 40), (0, 5000)]
    )
    result = by_endpoint(samples)
    assert list(result) == ["GET /", "POST /api/v1/tours", "total"]
    home, tours, total = result["GET /"], result["POST /api/v1/tours"], result["total"]
    assert (home.count, home.ok, home.errors, home.p50_ms, home.p95_ms) == (20, 20, 0, 10, 19)
    assert (tours.ok, tours.conflicts, tours.invalid, tours.errors) == (1, 1, 1, 2)
    assert tours.server_errors == 2
    assert tours.p95_ms == 40  # the unanswered request has no latency
    assert total.count == 25
    assert total.errors == 2


def test_run_rows_give_throughput_over_the_run():
    """One row per endpoint with its requests per second."""
    rows = run_rows(by_endpoint(_samples("GET /", [(200, 5)] * 10)), seconds=5)
    assert rows[0]["endpoint"] == "GET /"
    assert rows[0]["req/s"] == 2.0
    assert rows[-1]["endpoint"] == "total"


def test_fault_rows_compare_with_the_baseline_and_before_the_kill():
    """p95 ratios against the baseline run and, within the fault run, after vs before."""
    baseline = by_endpoint(_samples("GET /", [(200, 10)] * 20))
    before = _samples("GET /", [(200, 10)] * 20, at=1)
    after = _samples("GET /", [(200, 30)] * 20, at=9)
    fault = by_endpoint(before + after)
    rows = fault_rows(baseline, fault, by_endpoint(before), by_endpoint(after))
    home = rows[0]
    assert home["fault / baseline"] == 3.0
    assert home["after / before"] == 3.0
    assert home["5xx"] == 0


def test_fault_rows_leave_ratios_blank_for_endpoints_the_baseline_lacks():
    """An endpoint only the fault run reached gets no ratio rather than a division by zero."""
    fault = by_endpoint(_samples("GET /staff/", [(200, 10)]))
    row = fault_rows({}, fault, {}, fault)[0]
    assert row["fault / baseline"] is None
    assert row["after / before"] is None


def test_failures_name_5xx_in_the_fault_run_and_lost_bookings():
    """The benchmark fails on fault-run 5xx, lost bookings or changes, baseline errors, 500s."""
    clean = by_endpoint(_samples("GET /", [(200, 10)]))
    broken = by_endpoint(_samples("GET /", [(200, 10), (503, 10)]))
    no_loss = {"baseline": {"lost bookings": 0}, "fault": {"lost bookings": 0}}
    assert failures(clean, clean, no_loss) == []
    assert failures(clean, broken, no_loss) == ["fault run: 1 5xx or unanswered requests"]
    assert failures(broken, clean, no_loss) == ["baseline run: 1 errors"]
    lost = {"baseline": {"lost bookings": 0}, "fault": {"lost bookings": 2, "lost changes": 0}}
    assert failures(clean, clean, lost) == ["fault run: 2 lost bookings"]
    assert failures(clean, clean, no_loss, crashes=1) == ["1 visits crashed in the load generator"]
    assert failures(clean, clean, no_loss, unhandled=1) == [
        "1 unhandled exceptions in the gunicorn log"
    ]


def test_markdown_table_for_the_readme():
    """Rows become a Markdown table; floats get two decimals and missing values a dash."""
    table = markdown_table([{"endpoint": "GET /", "p95 ms": 12.345, "ratio": None}])
    assert table.splitlines() == [
        "| endpoint | p95 ms | ratio |",
        "| --- | --- | --- |",
        "| GET / | 12.35 | – |",
    ]


def test_quick_runs_twenty_seconds():
    """--quick overrides --seconds; the defaults are a few minutes with several clients."""
    assert bench_load.parse_args(["--quick", "--seconds", "300"]).seconds == 20
    defaults = bench_load.parse_args([])
    assert defaults.seconds >= 120
    assert defaults.clients > 1
    assert defaults.workers > 1


def test_every_visit_kind_has_a_visit():
    """Each weighted kind of visit names a method of the visitor."""
    for kind in VISITS:
        assert callable(getattr(Visitor, f"visit_{kind}"))


def test_bench_cli_passes_options_to_one_benchmark():
    """`python -m bench load --quick`: the name, then that benchmark's options."""
    known = ["listings", "load"]
    assert bench_cli.split_argv(["load", "--quick"], known) == (["load"], ["--quick"])
    assert bench_cli.split_argv(["listings", "load"], known) == (["listings", "load"], [])
    assert bench_cli.split_argv([], known) == ([], [])


def test_bench_help_lists_the_load_benchmark(capsys):
    """`python -m bench --help` names `load` with its one-line summary."""
    assert bench_cli.main(["--help"]) == 0
    assert "load      Mixed traffic" in capsys.readouterr().out
