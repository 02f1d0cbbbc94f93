"""Start real server processes for tests that need them."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@contextlib.contextmanager
def gunicorn(
    *,
    env: dict,
    workers: int = 2,
    threads: int = 1,
    access_log: Path | None = None,
    error_log: Path | None = None,
    app: str | None = None,
) -> Iterator[str]:
    """Run gunicorn with our config (config/gunicorn.py) and ``env``; yield its base URL
    once /healthz answers. The access log goes to ``access_log`` if given, else nowhere;
    stderr (gunicorn's and Django's messages) to ``error_log`` if given. ``app`` replaces
    the WSGI application (``module:name``), e.g. a test's patched one."""
    port = free_port()
    env = {**env, "GUNICORN_ACCESSLOG": str(access_log) if access_log else "off"}
    stderr = open(error_log, "w") if error_log else None  # noqa: SIM115
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            "config/gunicorn.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--log-level",
            "warning",
            *([app] if app else []),
        ],
        cwd=ROOT,
        env=env,
        stderr=stderr,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(base_url + "/healthz", timeout=5).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                # Not listening yet, or a worker still booting on a busy machine: the
                # deadline below decides, not one slow answer.
                pass
            assert server.poll() is None, "gunicorn exited"
            assert time.monotonic() < deadline, "gunicorn did not answer /healthz"
            time.sleep(0.2)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=30)
        if stderr:
            stderr.close()
