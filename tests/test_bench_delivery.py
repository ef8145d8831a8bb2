"""The sending benchmark runs end to end on a few messages, so it does not rot between runs."""

from bench import bench_delivery


def test_the_sending_benchmark_measures_both_sides(monkeypatch):
    """30 messages, one round: the sender, the bare loop and the wire-only loop all run."""
    monkeypatch.setattr(bench_delivery, "MESSAGES", 30)
    monkeypatch.setattr(bench_delivery, "ROUNDS", 1)
    monkeypatch.setattr(bench_delivery, "FLOOR_PER_SECOND", 0)
    monkeypatch.setattr(bench_delivery, "FLOOR_RATIO", 0)
    monkeypatch.delenv("BENCH_DATABASE_URL", raising=False)
    figures = bench_delivery.main()
    assert figures["messages"] == 30
    for key in ("sender_per_second", "bare_smtplib_per_second", "wire_only_per_second"):
        assert figures[key] > 0
    assert figures["ratio"] == figures["sender_per_second"] / figures["bare_smtplib_per_second"]
