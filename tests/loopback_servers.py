"""Real servers on loopback for the tests that talk to them: SMTP, Redis, a hung Redis.

Registered as a pytest plugin in ``tests/conftest.py``.
"""

import shutil
import socket
import subprocess
import threading
import time

import pytest
from redis import Redis
from redis.exceptions import RedisError

from portal.extensions import limiter


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Inbox:
    """Messages received by the local SMTP server, parsed."""

    def __init__(self):
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback (aiosmtpd); `.inbox.messages` holds what arrived."""
    from aiosmtpd.controller import Controller

    inbox = _Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    controller.inbox = inbox
    controller.config = {"MAIL_SMTP_HOST": "127.0.0.1", "MAIL_SMTP_PORT": port}
    yield controller
    controller.stop()


class RedisServer:
    """A redis-server of the test's own, on a free loopback port, that the test may stop."""

    def __init__(self, binary: str, workdir):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        args = ["--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        args += ["--appendonly", "no", "--dir", str(workdir)]
        self.process = subprocess.Popen(  # noqa: S603  (the redis-server binary, fixed arguments)
            [binary, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def wait_until_up(self, timeout: float = 10) -> None:
        client = Redis.from_url(self.url, socket_timeout=0.5)
        deadline = time.monotonic() + timeout
        while True:
            try:
                client.ping()
                client.close()
                return
            except RedisError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path):
    """A private Redis (skipped when redis-server is not installed); `.stop()` kills it."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer(binary, tmp_path)
    server.wait_until_up()
    yield server
    server.stop()
    # The limiter is one object for every app of the process: forget this outage.
    limiter._storage_dead = False


@pytest.fixture
def hung_redis():
    """A Redis URL whose port accepts connections and never answers (a hung Redis)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.1)
    held: list[socket.socket] = []
    stopped = threading.Event()

    def accept():
        while not stopped.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    stopped.set()
    thread.join(timeout=5)
    listener.close()
    for conn in held:
        conn.close()
    limiter._storage_dead = False
