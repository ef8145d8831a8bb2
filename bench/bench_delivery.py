"""Sending: one sender worker to a local aiosmtpd, against a bare smtplib loop in the same run.

The SMTP server (aiosmtpd's ``Sink`` handler) runs in a process of its own on a free
loopback port. Each round queues ``MESSAGES`` follow-up-like emails (text, brand-layout
HTML, RFC 8058 headers) in a scratch database (SQLite, or ``BENCH_DATABASE_URL``) and:

- **sender**: ``portal.mail.sender.deliver_due`` with one worker: claims with a lease,
  builds each message (Date, stored Message-ID), sends over one connection and commits
  each row's outcome before the next message can be accepted, exactly as in production;
- **bare smtplib**: one ``smtplib.SMTP`` connection calling ``send_message`` on the same
  messages (built beforehand, the loop only flattens and sends them; no database);
- **wire only** (no floor, for the record): ``sendmail`` of the very bytes the sender put
  on the wire, the connection's own ceiling.

Rounds alternate between the two so a busy moment of the shared machine hits both; the
medians are compared. Floors: sender ≥ 500 messages/s and ≥ 0.5× the bare loop.

On a machine whose cores are shared (load above the core count), every millisecond of
CPU costs several of wall time while the bare loop mostly waits on the socket; the
figures say the load they were taken under.
"""

import os
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from bench.common import print_table, ratio

MESSAGES = 1000
ROUNDS = 5
FLOOR_PER_SECOND = 500
FLOOR_RATIO = 0.5
PROJECT_DIR = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def smtp_sink():
    """aiosmtpd in its own process, accepting and dropping every message."""
    port = _free_port()
    command = [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink"]
    server = subprocess.Popen([*command, "-l", f"127.0.0.1:{port}"], cwd=PROJECT_DIR)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError("aiosmtpd did not start") from None
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def _app(database_url: str, port: int):
    os.environ.setdefault("PORTAL_ENV", "development")
    from portal import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "bench-only",
            "PORTAL_BASE_URL": "https://homes.example.com",
            "SERVER_NAME": "homes.example.com",
            "REDIS_URL": None,
            "JOBS_BACKEND": "sync",
            "RATELIMIT_STORAGE_URI": "memory://",
            "MAIL_FROM": "Doorstep <hello@homes.example.com>",
            # Queue without delivering: the benchmark runs the sender itself.
            "MAIL_SMTP_HOST": None,
        }
    )


def queue_messages(n: int) -> None:
    """``n`` follow-ups to different prospects, rendered with the brand layout."""
    from portal.extensions import db
    from portal.mail.outbox import queue_email
    from portal.mail.render import EmailFooter, render_email

    for i in range(n):
        unsubscribe = f"https://homes.example.com/me/unsubscribe/key{i:06d}"
        rendered = render_email(
            "prospect_sign_in",
            "Three cafés within a five-minute walk of Töölö Bay",
            footer=EmailFooter("https://homes.example.com/me/contact", unsubscribe),
            url=f"https://homes.example.com/listings/{i}",
            minutes=15,
        )
        queue_email(
            to=f"prospect{i}@example.com",
            subject=rendered.subject,
            text=rendered.text,
            html=rendered.html,
            kind="followup",
            transactional=False,
            unsubscribe_url=unsubscribe,
        )
    db.session.commit()


def _reset() -> None:
    import sqlalchemy as sa

    from portal.extensions import db
    from portal.models import OutboxEmail

    db.session.execute(sa.update(OutboxEmail).values(status="queued", sent_at=None, attempts=0))
    db.session.commit()


class _Recorder:
    """The transport's bytes, captured once so the bare loop sends exactly the same."""

    def __init__(self, transport):
        self.transport, self.sent = transport, []

    def send(self, envelope_from, to, data, **hooks):
        self.sent.append((envelope_from, to, data))
        return self.transport.send(envelope_from, to, data, **hooks)

    def close(self):
        self.transport.close()


def run_sender(port: int, *, record: bool = False):
    from portal.mail.sender import deliver_due
    from portal.mail.smtp import SmtpTransport
    from portal.models.base import utcnow

    transport = SmtpTransport("127.0.0.1", port)
    recorder = _Recorder(transport) if record else transport
    started = time.perf_counter()
    report = deliver_due(utcnow(), transport=recorder, worker_id="bench", batch_size=100)
    elapsed = time.perf_counter() - started
    if report.sent != MESSAGES:
        raise RuntimeError(f"sender sent {report.sent} of {MESSAGES}: {report}")
    return MESSAGES / elapsed, (recorder.sent if record else None)


def the_same_messages() -> list:
    """The queued rows as the messages the sender builds (Date: now), for the bare loop."""
    import sqlalchemy as sa
    from flask import current_app

    from portal.extensions import db
    from portal.mail.mime import build_message
    from portal.mail.sender import _FIELDS
    from portal.models import OutboxEmail
    from portal.models.base import utcnow

    rows = db.session.execute(sa.select(*_FIELDS).order_by(OutboxEmail.id)).all()
    sender = current_app.config["MAIL_FROM"]
    return [build_message(row, from_address=sender, sent_at=utcnow()) for row in rows]


def run_bare(port: int, messages: list) -> float:
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for message in messages:
            smtp.send_message(message)
    return len(messages) / (time.perf_counter() - started)


def run_wire(port: int, wire: list[tuple[str, str, bytes]]) -> float:
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for envelope_from, to, data in wire:
            smtp.sendmail(envelope_from, [to], data)
    return len(wire) / (time.perf_counter() - started)


def main() -> dict:
    with tempfile.TemporaryDirectory() as tmp, smtp_sink() as port:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        app = _app(url, port)
        with app.app_context():
            from portal.extensions import db

            if db.engine.dialect.name == "postgresql":
                import sqlalchemy as sa

                with db.engine.begin() as conn:
                    conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.create_all()
            queue_messages(MESSAGES)
            messages = the_same_messages()
            _, wire = run_sender(port, record=True)  # warm-up, and the bytes for the loop
            runs = {
                "sender": lambda: _reset() or run_sender(port)[0],
                "bare smtplib": lambda: run_bare(port, messages),
                "wire only": lambda: run_wire(port, wire),
            }
            rates: dict[str, list[float]] = {name: [] for name in runs}
            for i in range(ROUNDS):
                for name in list(runs) if i % 2 == 0 else reversed(list(runs)):
                    rates[name].append(runs[name]())
            dialect = db.engine.dialect.name
            db.session.remove()
            db.engine.dispose()
    sender = statistics.median(rates["sender"])
    bare = statistics.median(rates["bare smtplib"])
    wire_only = statistics.median(rates["wire only"])
    rows = [
        {"case": name, "messages/s (median)": statistics.median(values), "rounds": len(values)}
        for name, values in rates.items()
    ]
    load = os.getloadavg()[0]
    print_table(f"Sending {MESSAGES} messages, one worker, {dialect}, load {load:.1f}", rows)
    figures = {
        "database": dialect,
        "messages": MESSAGES,
        "rounds": ROUNDS,
        "sender_per_second": sender,
        "bare_smtplib_per_second": bare,
        "wire_only_per_second": wire_only,
        "ratio": ratio(sender, bare),
        "ratio_to_wire_only": ratio(sender, wire_only),
        "load_average": load,
        "cores": os.cpu_count(),
        "floor_per_second": FLOOR_PER_SECOND,
        "floor_ratio": FLOOR_RATIO,
        "all_rounds": rates,
    }
    print(f"sender / bare smtplib: {figures['ratio']:.2f}x (floor {FLOOR_RATIO}x)")
    print(f"sender / wire only: {figures['ratio_to_wire_only']:.2f}x (no floor)")
    failed = []
    if sender < FLOOR_PER_SECOND:
        failed.append(f"sender {sender:.0f}/s < {FLOOR_PER_SECOND}/s")
    if figures["ratio"] < FLOOR_RATIO:
        failed.append(f"ratio {figures['ratio']:.2f} < {FLOOR_RATIO}")
    if failed:
        raise RuntimeError("; ".join(failed))
    return figures


if __name__ == "__main__":
    main()
