"""The deployment the load run drives, built from scratch and torn down each run.

PostgreSQL (a database of the benchmark's own, schema dropped and migrated), a
redis-server on a free port, an SMTP sink (aiosmtpd, in this process), the RQ jobs
worker and gunicorn with several workers, all on loopback and configured as the
README's "Production" section says: ``PORTAL_ENV=production`` with ``SECRET_KEY``,
``PORTAL_BASE_URL``, ``DATABASE_URL`` and ``REDIS_URL``. Rate limits stay on; the
visitors keep under them by each coming from its own loopback address.
"""

import os
import re
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from pathlib import Path

import sqlalchemy as sa
from aiosmtpd.controller import Controller
from redis import Redis
from redis.exceptions import RedisError

from bench.server import PROJECT_DIR, free_port, gunicorn

DATABASE_NAME = "loadbench_db"
DATABASE_URL = os.environ.get(
    "BENCH_LOAD_DATABASE_URL", f"postgresql+psycopg://postgres@127.0.0.1:5432/{DATABASE_NAME}"
)
CONFIRM_LINK = re.compile(r"/tours/m/([A-Za-z0-9_-]{22})/confirm/([0-9a-f]{32})")
# Created before `flask demo load`, which then gives the agent every community's tours.
STAFF = (
    ("agent@doorstep.example", "Aino Agent", "agent"),
    ("admin@doorstep.example", "Anna Admin", "admin"),
)


class SmtpSink:
    """aiosmtpd handler: counts what arrives and keeps each tour's emailed confirmation link.

    The link (``/tours/m/<token>/confirm/<code>``) is only ever in mail, so a visitor who
    confirms their address must read it here, as a real one reads their inbox.
    """

    def __init__(self) -> None:
        self.received = 0
        self.confirm_paths: dict[str, str] = {}  # tour token -> path of its emailed link

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        self.received += 1
        message = message_from_bytes(envelope.content, policy=policy.default)
        for part in message.walk():
            if part.get_content_type() == "text/plain":
                for found in CONFIRM_LINK.finditer(part.get_content()):
                    self.confirm_paths[found.group(1)] = found.group(0)
        return "250 OK"


@dataclass
class Stack:
    """A running deployment: where it answers and how to reach its parts."""

    base: str
    database_url: str
    env: dict[str, str]
    staff: list[tuple[str, str]]  # (email, password) of STAFF, in order
    redis: subprocess.Popen
    smtp: SmtpSink
    logs: dict[str, Path] = field(default_factory=dict)
    redis_killed_at: float | None = None
    limit_counters_at_kill: int | None = None

    def limit_counters(self) -> int:
        """Rate-limit counters in Redis now: proof the limits were counted there."""
        client = Redis.from_url(self.env["REDIS_URL"], socket_timeout=2)
        try:
            return sum(1 for _ in client.scan_iter("*LIMITER*", count=1000))
        finally:
            client.close()

    def kill_redis(self) -> None:
        """SIGKILL the redis-server: no goodbye to its clients, as when its machine dies."""
        try:
            self.limit_counters_at_kill = self.limit_counters()
        except RedisError:  # the count is a side figure; the kill must happen regardless
            self.limit_counters_at_kill = None
        self.redis.send_signal(signal.SIGKILL)
        self.redis.wait(timeout=10)
        self.redis_killed_at = time.perf_counter()


def ensure_database(url: str = DATABASE_URL) -> None:
    """`createdb` the benchmark's database unless it is there already."""
    engine = sa.create_engine(url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    name = url.rsplit("/", 1)[1]
    try:
        with engine.connect() as conn:
            exists = conn.scalar(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            )
    finally:
        engine.dispose()
    if not exists:
        host = sa.engine.make_url(url)
        subprocess.run(
            ["createdb", "-h", host.host, "-U", host.username, name],
            check=True,
            capture_output=True,
        )


def reset_schema(url: str) -> None:
    """Drop every table and sequence: each run starts from the same empty database."""
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(sa.text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


def _flask(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=PROJECT_DIR,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )


def _process(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen(
            cmd, cwd=PROJECT_DIR, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT
        )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _start_redis(port: int, log: Path) -> subprocess.Popen:
    # --save '' and --appendonly no: nothing on disk, so a killed Redis comes back empty.
    cmd = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    process = _process([*cmd, "--appendonly", "no"], {}, log)
    client = Redis(port=port, socket_timeout=1)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            client.ping()
            return process
        except RedisError:
            time.sleep(0.1)
    _stop(process)
    raise RuntimeError(f"redis-server did not answer on port {port}")


@contextmanager
def running_stack(
    workdir: Path, log_dir: Path, *, workers: int = 4, label: str = "run"
) -> Iterator[Stack]:
    """Reset the database, start Redis, the SMTP sink, the jobs worker and gunicorn.

    :param workdir: holds the routing data (``GEO_DATA_DIR``).
    :param log_dir: the processes' logs, kept after the run (``<label>-gunicorn.log``...).
    """
    port, redis_port, smtp_port = free_port(), free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        "PORTAL_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "PORTAL_BASE_URL": base,
        "TRUSTED_HOSTS": "127.0.0.1",  # read by the app once the trusted-hosts check lands
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "MAIL_SMTP_HOST": "127.0.0.1",
        "MAIL_SMTP_PORT": str(smtp_port),
        "GEO_DATA_DIR": str(workdir / "geo"),
    }
    log_dir.mkdir(parents=True, exist_ok=True)
    logs = {name: log_dir / f"{label}-{name}.log" for name in ("redis", "worker", "gunicorn")}
    for path in logs.values():
        path.unlink(missing_ok=True)
    staff = [(email, secrets.token_urlsafe(16)) for email, _, _ in STAFF]
    with ExitStack() as teardown:
        redis = _start_redis(redis_port, logs["redis"])
        teardown.callback(_stop, redis)
        sink = SmtpSink()
        controller = Controller(sink, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        teardown.callback(controller.stop)

        started = time.monotonic()
        reset_schema(DATABASE_URL)
        _flask(env, "db", "upgrade")
        for (email, name, role), (_, password) in zip(STAFF, staff, strict=True):
            _flask(env, "staff", "create", email, "--name", name, "--role", role,
                   "--password", password)  # fmt: skip
        _flask(env, "demo", "load")
        _flask(env, "geo", "demo", "--if-missing")
        print(f"[{label}] database migrated and demo loaded in {time.monotonic() - started:.0f} s")

        worker = _process([sys.executable, "-m", "flask", "--app", "wsgi", "jobs", "worker"],
                          env, logs["worker"])  # fmt: skip
        teardown.callback(_stop, worker)
        teardown.enter_context(
            gunicorn(
                "wsgi:app",
                env=env,
                workers=workers,
                port=port,
                log=logs["gunicorn"],
                ready_timeout=180,  # 4 workers importing the app on a busy 2-core machine
            )
        )
        print(f"[{label}] gunicorn ({workers} workers), Redis, jobs worker and SMTP sink up")
        yield Stack(base, DATABASE_URL, env, staff, redis, sink, logs)
