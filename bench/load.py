"""Load generators, each bounded in time and count, aimed at 127.0.0.1 only.

- ``wrk()``: Debian's wrk for throughput and latency of one URL (a separate process).
- ``rush()``: the sign-up rush. Many residents at once, each an attempt of its own: a new
  browser session loads the event page, takes the CSRF token from its form and posts the
  sign-up form (with the event's own fields: the party size and the answers). Threads
  with ``requests``; the client shares the machine with the servers, which
  docs/performance.md takes into account.
"""

from __future__ import annotations

import json
import re
import statistics
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests

LUA = Path(__file__).resolve().parent / "wrk_summary.lua"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _loopback_only(url: str) -> None:
    if urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"the benchmark only loads loopback addresses, not {url}")


def wrk(*, binary: str, url: str, seconds: float, connections: int, threads: int = 2) -> dict:
    """Run wrk against ``url``; return requests/s, p50/p99 in ms and the error counts."""
    _loopback_only(url)
    threads = max(1, min(threads, connections))
    command = [
        binary,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        url,
    ]
    result = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if result.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({result.returncode}): {result.stderr}{result.stdout}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    duration = raw["duration_us"] / 1e6
    errors = raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    return {
        "rps": round(raw["requests"] / duration, 1),
        "requests": raw["requests"],
        "p50_ms": round(raw["p50_us"] / 1000, 2),
        "p99_ms": round(raw["p99_us"] / 1000, 2),
        "non_2xx_3xx": raw["status"],
        "socket_errors": errors,
        "connections": connections,
        "seconds": round(duration, 1),
    }


@dataclass
class _Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    post_statuses: Counter = field(default_factory=Counter)
    errors_5xx: int = 0
    errors_other: int = 0
    first_error: str | None = None
    no_form: int = 0
    attempt_ms: list[float] = field(default_factory=list)
    post_ms: list[float] = field(default_factory=list)


def _percentile(values: list[float], pct: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[pct - 1], 1)


def rush(
    *,
    base_url: str,
    event_path: str,
    attempts: int,
    concurrency: int,
    verify: str | bool,
    time_limit: float,
    fields: dict[str, str] | None = None,
) -> dict:
    """``attempts`` sign-up attempts from ``concurrency`` clients that start together.

    Each attempt: GET the event page on a new session (a new resident, a new TLS
    connection), then POST the form with the page's CSRF token and cookie, the name, the
    e-mail address, the consent and ``fields`` (the party size and the answers to the
    event's questions, by their form field names). A 302 means signed up, a 409 full.
    Stops early, counting nothing more, at ``time_limit`` seconds.
    """
    _loopback_only(base_url)
    tally = _Tally()
    numbers = iter(range(attempts))
    next_lock = threading.Lock()
    start_gate = threading.Barrier(concurrency + 1)
    page_url = base_url + event_path
    post_url = page_url + "aanmelden/"
    deadline: list[float] = []

    def attempt(number: int) -> None:
        began = time.perf_counter()
        with requests.Session() as session:
            # verify per request: REQUESTS_CA_BUNDLE would override a session's setting.
            page = session.get(page_url, timeout=30, verify=verify)
            if page.status_code >= 500:
                with tally.lock:
                    tally.errors_5xx += 1
                return
            token = TOKEN.search(page.text)
            if not token:
                with tally.lock:
                    tally.no_form += 1
                return
            posted = time.perf_counter()
            response = session.post(
                post_url,
                data={
                    "csrfmiddlewaretoken": token.group(1),
                    "name": f"Bewoner {number}",
                    "email": f"bewoner{number}@example.org",
                    **(fields or {}),
                    "consent": "on",
                },
                headers={"Referer": page_url},
                allow_redirects=False,
                timeout=30,
                verify=verify,
            )
        done = time.perf_counter()
        with tally.lock:
            tally.post_statuses[response.status_code] += 1
            if response.status_code >= 500:
                tally.errors_5xx += 1
            tally.attempt_ms.append((done - began) * 1000)
            tally.post_ms.append((done - posted) * 1000)

    def client() -> None:
        start_gate.wait()
        while time.monotonic() < deadline[0]:
            with next_lock:
                number = next(numbers, None)
            if number is None:
                return
            try:
                attempt(number)
            except requests.RequestException as exc:
                with tally.lock:
                    tally.errors_other += 1
                    tally.first_error = tally.first_error or f"{type(exc).__name__}: {exc}"

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    deadline.append(time.monotonic() + time_limit)
    began, cpu_began = time.perf_counter(), time.process_time()
    start_gate.wait()  # everyone presses the button at 09:00
    for thread in threads:
        thread.join(timeout=max(0.0, deadline[0] - time.monotonic()) + 35)
    wall = time.perf_counter() - began
    client_cpu = time.process_time() - cpu_began
    finished = len(tally.attempt_ms) + tally.no_form + tally.errors_5xx + tally.errors_other
    return {
        "attempts": attempts,
        "finished": finished,
        "concurrency": concurrency,
        "post_statuses": {str(code): n for code, n in sorted(tally.post_statuses.items())},
        "errors_5xx": tally.errors_5xx,
        "errors_other": tally.errors_other,
        "no_form": tally.no_form,
        "first_error": tally.first_error,
        "seconds": round(wall, 2),
        # CPU seconds the load generator itself used (all its threads): on a small machine
        # it competes with the servers it measures.
        "client_cpu_s": round(client_cpu, 1),
        "attempts_per_s": round(finished / wall, 1),
        "p50_ms": _percentile(tally.attempt_ms, 50),
        "p99_ms": _percentile(tally.attempt_ms, 99),
        "post_p50_ms": _percentile(tally.post_ms, 50),
        "post_p99_ms": _percentile(tally.post_ms, 99),
        "timed_out": any(thread.is_alive() for thread in threads),
    }
