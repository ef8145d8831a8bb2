"""A sender in its own process, for the crash and concurrency tests.

    python -m tests.mail_sender_process --database URL --smtp-port N [--now ISO]
        [--batch-size N] [--lease-seconds S] [--worker-id W] [--wait-for FILE]
        [--hang-after-answers K]

It prints ``READY`` once the app is built, waits for ``--wait-for`` to exist (so two
senders start together), runs ``deliver_due`` and prints its report as JSON. With
``--hang-after-answers K`` it prints ``ANSWERED <id>`` right after the SMTP server
accepted the K-th message and, before the row is marked, stops there for the test to
SIGKILL it.
"""

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ["PORTAL_ENV"] = "development"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", required=True)
    parser.add_argument("--smtp-port", type=int, required=True)
    parser.add_argument("--now")
    parser.add_argument("--batch-size", type=int, default=10)
    parser.add_argument("--lease-seconds", type=int, default=60)
    parser.add_argument("--worker-id")
    parser.add_argument("--wait-for")
    parser.add_argument("--hang-after-answers", type=int)
    args = parser.parse_args(argv)

    from portal import create_app
    from portal.extensions import db
    from portal.mail import smtp
    from portal.mail.sender import deliver_due

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": args.database,
            "SECRET_KEY": "test-only-not-secret",
            "PORTAL_BASE_URL": "http://portal.test",
            "REDIS_URL": None,
            "JOBS_BACKEND": "sync",
            "RATELIMIT_STORAGE_URI": "memory://",
            "MAIL_SMTP_HOST": "127.0.0.1",
            "MAIL_SMTP_PORT": args.smtp_port,
        }
    )
    if args.hang_after_answers:
        real_send, answers = smtp.SmtpTransport.send, []

        def send_then_hang(self, envelope_from, to, data, **hooks):
            answer = real_send(self, envelope_from, to, data, **hooks)
            answers.append(to)
            if len(answers) == args.hang_after_answers:
                message_id = next(
                    line.split(b":", 1)[1].strip().decode()
                    for line in data.split(b"\r\n")
                    if line.lower().startswith(b"message-id:")
                )
                print(f"ANSWERED {message_id}", flush=True)
                time.sleep(600)  # killed here: the server has it, the row is not marked
            return answer

        smtp.SmtpTransport.send = send_then_hang
    print("READY", flush=True)
    if args.wait_for:
        while not Path(args.wait_for).exists():
            time.sleep(0.01)
    now = datetime.fromisoformat(args.now) if args.now else datetime.now(UTC)
    with app.app_context():
        report = deliver_due(
            now,
            worker_id=args.worker_id,
            batch_size=args.batch_size,
            lease=timedelta(seconds=args.lease_seconds),
        )
        db.engine.dispose()
    print(json.dumps(report.as_dict()), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
