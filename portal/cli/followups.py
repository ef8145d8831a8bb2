"""`flask followups run`: plan and send follow-ups (a loop, `--once` for cron, `--now`)."""

import time
from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from portal.followups.worker import JOB, parse_now, run_pass
from portal.jobs import backend, run_later

followups = AppGroup("followups", help="Follow-ups after tours.")


def _echo(counts: dict[str, int]) -> None:
    click.echo(", ".join(f"{name} {n}" for name, n in counts.items()))


@followups.command("run")
@click.option("--once", is_flag=True, help="One pass, then exit (for cron).")
@click.option(
    "--now",
    "now_iso",
    default=None,
    metavar="ISO-8601",
    help="Plan and send as if it were this moment (previews, simulations).",
)
@click.option("--interval", default=30.0, show_default=True, help="Seconds between passes.")
def followups_run(once: bool, now_iso: str | None, interval: float) -> None:
    """Plan due steps, hand due messages to the outbox, deliver it, mark what was sent.

    With REDIS_URL the loop enqueues each pass as an RQ job (``flask jobs worker`` on any
    machine runs it); `--once` always runs the pass here.
    """
    if now_iso:
        try:
            parse_now(now_iso)
        except ValueError as exc:
            message = f"not an ISO-8601 moment: {now_iso}"
            raise click.BadParameter(message, param_hint="--now") from exc
    if once:
        _echo(run_pass(now_iso))
        return
    queued = backend(current_app) == "rq"
    click.echo(f"Follow-ups every {interval:g}s{' as RQ jobs' if queued else ''}; Ctrl-C stops.")
    # With --now the loop's clock starts at that moment and runs on from there.
    start, began = (parse_now(now_iso) if now_iso else None), time.monotonic()
    while True:
        elapsed = timedelta(seconds=time.monotonic() - began)
        moment = (start + elapsed).isoformat() if start else None
        if queued:
            run_later(JOB, moment)
        else:
            _echo(run_pass(moment))
        time.sleep(interval)
