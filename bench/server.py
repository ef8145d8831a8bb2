"""Run an app under gunicorn on loopback and drive it with concurrent HTTP clients."""

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench.common import Stats

PROJECT_DIR = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def gunicorn(
    app: str,
    env: dict[str, str] | None = None,
    workers: int = 2,
    *,
    port: int | None = None,
    log: Path | None = None,
    ready_timeout: float = 30,
    cwd: Path | None = None,
) -> Iterator[str]:
    """Serve ``app`` (``module:variable``) on loopback; yield its base URL.

    :param port: the port to bind (default: a free one), for apps that must know their
        own address beforehand (``PORTAL_BASE_URL``).
    :param log: append gunicorn's and the app's output to this file instead of the terminal.
    :param ready_timeout: seconds to wait for ``/healthz`` to answer 200.
    :param cwd: serve the code of another checkout (its ``portal`` package comes first).
    """
    port = port or free_port()
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--worker-class",
        "sync",
    ]
    out = log.open("ab") if log else None
    process = subprocess.Popen(
        cmd, cwd=cwd or PROJECT_DIR, env={**os.environ, **(env or {})}, stdout=out, stderr=out
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process, ready_timeout)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        if out:
            out.close()


def _wait_until_up(base: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{base} did not come up within {timeout}s")


def load(urls: list[str], *, concurrency: int = 8, requests: int = 400) -> Stats:
    """Send ``requests`` GETs spread over ``urls`` from ``concurrency`` clients."""
    return asyncio.run(_load(urls, concurrency, requests))


async def _load(urls: list[str], concurrency: int, requests: int) -> Stats:
    samples: list[float] = []
    errors = 0
    counter = iter(range(requests))
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)

    async def client_loop(client: httpx.AsyncClient) -> None:
        nonlocal errors
        for i in counter:
            t0 = time.perf_counter()
            try:
                response = await client.get(urls[i % len(urls)])
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            if ok:
                samples.append(time.perf_counter() - t0)
            else:
                errors += 1

    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        # Warm each worker and template cache before timing.
        await asyncio.gather(*(client.get(u) for u in urls[: concurrency * 2]))
        started = time.perf_counter()
        await asyncio.gather(*(client_loop(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return Stats.from_seconds(samples, elapsed=elapsed, errors=errors)
