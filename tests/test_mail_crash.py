"""Real sender processes: killed between the server's answer and the mark, and racing.

Runs on the suite's database (SQLite file, or PostgreSQL with PORTAL_TEST_DATABASE_URL),
which the sender processes reach as any deployment would.
"""

import collections
import json
import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.mail.outbox import queue_email
from portal.models import OutboxEmail
from portal.models.base import utcnow
from tests.mail_server import smtp_mailbox

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def mailbox():
    with smtp_mailbox(delay=0.002) as (box, config):
        box.port = config["MAIL_SMTP_PORT"]
        yield box


def _queue(n: int) -> list[str]:
    ids = [
        queue_email(to=f"p{i}@example.com", subject=f"Message {i}", text="Hello", kind="test")
        for i in range(n)
    ]
    db.session.commit()
    return [e.message_id for e in ids]


def _sender(database_url: str, port: int, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "tests.mail_sender_process", "--database", database_url]
    return subprocess.Popen(  # noqa: S603  (our own module, our own arguments)
        [*command, "--smtp-port", str(port), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process: subprocess.Popen) -> dict:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


def _statuses() -> collections.Counter:
    db.session.expire_all()
    return collections.Counter(db.session.scalars(sa.select(OutboxEmail.status)))


def test_a_sender_killed_after_the_answer_loses_nothing_and_repeats_only_that_message(
    app, database_url, mailbox
):
    """SIGKILL between the server's 250 and the mark; a restart after the lease sends the
    rest: every message arrives, only the one on the wire twice, with the same Message-ID."""
    message_ids = _queue(25)
    crashed = _sender(database_url, mailbox.port, "--batch-size", "10", "--hang-after-answers", "7")
    assert crashed.stdout.readline().strip() == "READY"
    line = crashed.stdout.readline().strip()
    assert line.startswith("ANSWERED "), crashed.stderr.read()
    on_the_wire = line.removeprefix("ANSWERED ")
    os.kill(crashed.pid, signal.SIGKILL)
    crashed.wait(timeout=30)
    crashed.stdout.close()
    crashed.stderr.close()
    assert crashed.returncode == -signal.SIGKILL

    assert len(mailbox.messages) == 7
    assert _statuses() == {"sent": 6, "sending": 4, "queued": 15}  # 7th answered, not marked
    stuck = db.session.scalar(sa.select(OutboxEmail).where(OutboxEmail.message_id == on_the_wire))
    assert stuck.status == "sending"

    after_lease = (utcnow() + timedelta(seconds=61)).isoformat()
    restarted = _finish(_sender(database_url, mailbox.port, "--now", after_lease))
    assert restarted["sent"] == 19
    assert _statuses() == {"sent": 25}
    arrived = collections.Counter(mailbox.message_ids())
    assert set(arrived) == set(message_ids)  # nothing lost
    assert {mid: n for mid, n in arrived.items() if n > 1} == {on_the_wire: 2}  # one repeat


def test_two_senders_at_once_never_send_a_row_twice(app, database_url, mailbox, tmp_path):
    """Two sender processes released at the same moment share the queue: each message
    arrives exactly once and both did part of the work."""
    message_ids = _queue(200)
    go = tmp_path / "go"
    options = ["--batch-size", "5", "--wait-for", str(go)]
    senders = [_sender(database_url, mailbox.port, *options, "--worker-id", w) for w in "ab"]
    for sender in senders:
        assert sender.stdout.readline().strip() == "READY"
    go.touch()
    reports = [_finish(sender) for sender in senders]
    assert sum(r["sent"] for r in reports) == 200
    assert all(r["sent"] > 0 for r in reports), reports
    assert collections.Counter(mailbox.message_ids()) == collections.Counter(message_ids)
    assert _statuses() == {"sent": 200}
