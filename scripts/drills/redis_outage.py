"""Drill: Redis stops, comes back, then hangs, in the middle of a stream of sign-ups.

A throw-away PostgreSQL cluster, a throw-away Redis (its own ``redis-server`` on a free
loopback port, never the machine's) and gunicorn (2 sync workers) with the production
settings serve the site: Redis is the cache, so the rate limits count in it (switched on,
with a limit too high to refuse anyone) and the event page comes from the page cache.
Residents keep signing up through the real pages (GET the event, POST the form with its
CSRF token). Meanwhile the drill

1. stops Redis (SIGTERM: refused connections) for ``--down`` seconds,
2. starts it again (an empty cache) for ``--between`` seconds,
3. hangs it (SIGSTOP: connections are accepted by the kernel, nothing answers; with a
   small listen backlog, later connection attempts get no answer at all) for ``--hang``
   seconds, longer than gunicorn's worker timeout (``--worker-timeout``),
4. lets it go on (SIGCONT) and keeps streaming for ``--after`` seconds.

Then it checks what the residents were told against what the database holds:

- no 500 (no 5xx at all), no connection error, no gunicorn ``WORKER TIMEOUT``, the same
  worker processes at the end: the site ran on without its cache;
- every confirmation page (302 to /aanmelding/<token>/) has its row; the event's counter
  equals its confirmed rows; no row lacks a field or its e-mail task; no row without a
  confirmation page;
- both faults were felt: the app logged the refused connections, and requests during the
  hang waited for the cache's socket timeout;
- everything works again when Redis is back: after SIGCONT the rate limiter counts every
  sign-up in Redis again and the page cache reads from it again.

``--without-timeouts`` is the control experiment: the cache's socket timeouts are set to
an hour, as before issue 13, and the drill must then fail (workers hang on the cache until
gunicorn kills them).

Usage: python -m scripts.drills.redis_outage [--hang 12] [--worker-timeout 10] ...
Exit status: 0 when every invariant holds, 1 when one is broken, 2 when the drill could
not run (no redis-server or PostgreSQL binaries, a setup step failed).
"""

from __future__ import annotations

import argparse
import contextlib
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import redis

from scripts.drills.common import (
    DrillError,
    Stream,
    Verdict,
    app_env,
    free_port,
    manage,
    prepare_site,
    run_drill,
    running_gunicorn,
    stored,
    table,
    throwaway_postgres,
)

KEY_PREFIX = "drill"
PHASES = ("before", "stopped", "restarted", "hung", "after")
# The production default of DJANGO_CACHE_TIMEOUT: a cache call during the hang lasts at
# least this long, so an attempt that did not is one that never met the hung Redis.
READ_TIMEOUT = 0.5


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=3, help="parallel residents")
    parser.add_argument("--before", type=float, default=5, help="seconds of sign-ups first")
    parser.add_argument("--down", type=float, default=5, help="seconds Redis is stopped")
    parser.add_argument(
        "--between", type=float, default=5, help="seconds between the restart and the hang"
    )
    parser.add_argument("--hang", type=float, default=14, help="seconds Redis is hung")
    parser.add_argument("--after", type=float, default=8, help="seconds of sign-ups after")
    parser.add_argument(
        "--worker-timeout", type=int, default=10, help="gunicorn's worker timeout (< --hang)"
    )
    parser.add_argument("--pause", type=float, default=0.05, help="pause between attempts")
    parser.add_argument("--limit", type=int, default=3000, help="at most this many attempts")
    parser.add_argument(
        "--without-timeouts",
        action="store_true",
        help="control experiment: no socket timeouts on the cache; the drill must fail",
    )
    args = parser.parse_args(argv)
    if args.hang <= args.worker_timeout:
        parser.error("--hang must be longer than --worker-timeout, or a hang goes unnoticed")
    return args


# --- A throw-away Redis -------------------------------------------------------------------


class RedisServer:
    """``redis-server`` of our own on a free loopback port: no persistence, a tiny listen
    backlog (so a hung server soon stops completing connections, as a dropped network
    would), removed at the end."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if not binary:
            raise DrillError("redis-server not found (apt-get install redis-server)")
        self.binary = binary
        self.port = free_port()
        self.base = Path(tempfile.mkdtemp(prefix="bijeen-drill-redis-"))
        self.log = self.base / "redis.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=5, socket_connect_timeout=5)

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--tcp-backlog",
                "8",
                "--dir",
                str(self.base),
                "--logfile",
                str(self.log),
            ]
        )
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(redis.RedisError):
                if self.client().ping():
                    return
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise DrillError(f"redis-server did not start:\n{self._log_tail()}")
            time.sleep(0.05)

    def _log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""

    def stop(self) -> None:
        """SIGTERM, as `systemctl stop redis-server` does; wait until it is gone."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a hung server cannot act on SIGTERM
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)

    def hang(self) -> None:
        self.process.send_signal(signal.SIGSTOP)
        # Wait until the kernel shows it stopped, so the phase starts when it says.
        stat = Path(f"/proc/{self.process.pid}/stat")
        deadline = time.monotonic() + 5
        while stat.read_text().rsplit(")", 1)[1].split()[0] != "T":
            if time.monotonic() > deadline:
                raise DrillError("redis-server did not stop on SIGSTOP")
            time.sleep(0.01)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)


@contextlib.contextmanager
def throwaway_redis() -> Iterator[RedisServer]:
    server = RedisServer()
    try:
        server.start()
        yield server
    finally:
        server.remove()


def cache_figures(server: RedisServer) -> tuple[int, int]:
    """(sign-ups the rate limiter has counted, page-cache reads) according to Redis."""
    client = server.client()
    counted = sum(
        int(client.get(key) or 0)
        for key in client.scan_iter(f"{KEY_PREFIX}:*:ratelimit:signup:*", count=1000)
    )
    reads = int(client.info("commandstats").get("cmdstat_get", {}).get("calls", 0))
    return counted, reads


# --- The drill -------------------------------------------------------------------------------


def production_env(database_url: str, cache_url: str, work: Path, *, timeouts: bool) -> dict:
    env = app_env(
        database_url,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SITE_URL="https://127.0.0.1",
        DJANGO_STATIC_ROOT=str(work / "static"),
        CACHE_URL=cache_url,
        DJANGO_CACHE_KEY_PREFIX=KEY_PREFIX,
        # The rate limits are what calls the cache on every POST: on, and counting, with a
        # limit no stream from one address reaches.
        DJANGO_RATELIMIT_ENABLE="true",
        DJANGO_SIGNUP_RATE_LIMIT="100000000",
        BIJEEN_PAGE_CACHE_SECONDS="1",
        DJANGO_LOG_LEVEL="WARNING",
        DJANGO_LOG_FORMAT="text",
    )
    if not timeouts:
        env.update({"DJANGO_CACHE_CONNECT_TIMEOUT": "3600", "DJANGO_CACHE_TIMEOUT": "3600"})
    return env


def run(args: argparse.Namespace) -> int:
    work = Path(tempfile.mkdtemp(prefix="bijeen-drill-redis-app-"))
    try:
        with throwaway_postgres() as cluster, throwaway_redis() as cache_server:
            database_url = cluster.create_database("bijeen")
            env = production_env(
                database_url, cache_server.url, work, timeouts=not args.without_timeouts
            )
            prepare_site(env, capacity=args.limit + 100)
            manage("collectstatic", "--noinput", env=env)
            with running_gunicorn(env=env, workers=2, timeout=args.worker_timeout) as server:
                result = stream_through_faults(args, server, cache_server)
                result["log"] = server.log_text()
            figures = stored(database_url)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report(args, result, figures)


def stream_through_faults(args, server, cache_server: RedisServer) -> dict:
    marks: dict[str, float] = {}
    workers_before = server.worker_pids()
    stream = Stream(
        base_url=server.base_url,
        clients=args.clients,
        limit=args.limit,
        pause=args.pause,
        https=True,
    ).start()
    try:
        time.sleep(args.before)
        marks["stopped"] = time.monotonic()
        cache_server.stop()
        time.sleep(args.down)
        cache_server.start()
        marks["restarted"] = time.monotonic()
        time.sleep(args.between)
        marks["hung"] = time.monotonic()
        cache_server.hang()
        time.sleep(args.hang)
        cache_server.resume()
        marks["after"] = time.monotonic()
        # What the cache saw once it was back: figures before and after a stretch of the
        # stream, and the attempts that ran wholly inside that stretch.
        time.sleep(min(1.0, args.after / 4))
        counted_from, reads_from = cache_figures(cache_server)
        window_start = time.monotonic()
        time.sleep(max(0.0, args.after - min(1.0, args.after / 4)))
        window_end = time.monotonic()
        counted_to, reads_to = cache_figures(cache_server)
    finally:
        stream.stop.set()
        stream.join()
    return {
        "marks": marks,
        "attempts": sorted(stream.attempts, key=lambda a: a.started),
        "workers_before": workers_before,
        "workers_after": server.worker_pids(),
        "window": (window_start, window_end),
        "counted": counted_to - counted_from,
        "reads": reads_to - reads_from,
    }


def phase_of(started: float, marks: dict[str, float]) -> str:
    name = "before"
    for phase in PHASES[1:]:
        if started >= marks[phase]:
            name = phase
    return name


def report(args, result: dict, figures) -> int:
    marks, attempts, log = result["marks"], result["attempts"], result["log"]
    phases = {name: [a for a in attempts if phase_of(a.started, marks) == name] for name in PHASES}
    confirmed = [a for a in attempts if a.confirmed]
    statuses = Counter(a.status for a in attempts if a.status is not None and not a.confirmed)
    server_errors = sum(n for status, n in statuses.items() if status >= 500)
    errors = [a for a in attempts if a.error]
    lost = [a for a in confirmed if a.token not in figures.tokens]
    worker_timeouts = log.count("WORKER TIMEOUT")
    refused_warnings = sum(
        1 for line in log.splitlines() if "cache unavailable" in line and "ConnectionError" in line
    )
    timeout_warnings = sum(
        1 for line in log.splitlines() if "cache unavailable" in line and "TimeoutError" in line
    )
    start, end = result["window"]
    inside = [a for a in attempts if a.started >= start and a.finished <= end]
    posts_inside = sum(1 for a in inside if a.stage == "POST")
    gets_inside = len(inside)
    hung = phases["hung"]
    waited = [a for a in hung if a.finished - a.started >= READ_TIMEOUT]

    def durations(part) -> str:
        if not part:
            return "-"
        times = [a.finished - a.started for a in part]
        return f"{statistics.median(times):.2f} / {max(times):.2f} s"

    table(
        "Redis outage drill" + (" (control: no cache timeouts)" if args.without_timeouts else ""),
        [
            (
                "Redis stopped (SIGTERM) .. started again",
                f"{marks['restarted'] - marks['stopped']:.1f} s",
            ),
            ("Redis hung (SIGSTOP) .. SIGCONT", f"{marks['after'] - marks['hung']:.1f} s"),
            ("gunicorn worker timeout", f"{args.worker_timeout} s"),
            ("sign-up attempts", len(attempts)),
            (
                "  started before / stopped / restarted / hung / after",
                " / ".join(str(len(p)) for p in phases.values()),
            ),
            ("confirmation pages (302 to /aanmelding/<token>/)", len(confirmed)),
            ("5xx responses", server_errors),
            ("other statuses", dict(sorted(statuses.items())) or "-"),
            (
                "connection errors",
                f"{len(errors)} {dict(Counter(a.error for a in errors))}" if errors else 0,
            ),
            ("gunicorn WORKER TIMEOUT lines", worker_timeouts),
            ("rows in the database (event)", f"{figures.rows} {dict(figures.by_status)}"),
            ("event.confirmed_count", figures.counter),
            ("confirmed but not stored (lost)", len(lost)),
            ("stored without a confirmation page", figures.rows - len(confirmed)),
            ("app warnings: cache refused / timed out", f"{refused_warnings} / {timeout_warnings}"),
            ("attempts during the hang that waited for the cache", f"{len(waited)} of {len(hung)}"),
            (
                "after SIGCONT: sign-ups counted by the rate limit in Redis",
                f"{result['counted']} (posts wholly inside the window: {posts_inside})",
            ),
            (
                "after SIGCONT: page-cache reads from Redis",
                f"{result['reads']} (page loads wholly inside the window: {gets_inside})",
            ),
            (
                "gunicorn workers before / after",
                f"{len(result['workers_before'])} / {len(result['workers_after'])}, "
                f"same processes: {result['workers_before'] == result['workers_after']}",
            ),
        ],
    )
    table(
        "Time per attempt (GET + POST), median / max",
        [(name, f"{durations(part)} ({len(part)} attempts)") for name, part in phases.items()],
    )

    verdict = Verdict()
    verdict.check("no 500 (no 5xx at all)", server_errors == 0)
    verdict.check(
        "every attempt got its confirmation page, in every phase",
        all(phases.values()) and len(confirmed) == len(attempts),
    )
    verdict.check("no connection error or client timeout", not errors)
    verdict.check("no gunicorn WORKER TIMEOUT", worker_timeouts == 0)
    verdict.check(
        "the same gunicorn workers at the end",
        result["workers_before"] == result["workers_after"],
    )
    verdict.check("every confirmation page's sign-up is in the database", not lost)
    verdict.check("no row without a confirmation page", figures.rows == len(confirmed))
    verdict.check(
        "event counter equals confirmed rows",
        figures.counter == figures.by_status.get("confirmed", 0),
    )
    verdict.check("no row is missing a field", figures.incomplete == 0)
    verdict.check("every row has its e-mail task (same transaction)", figures.without_mail == 0)
    verdict.check("the stop was felt (the app logged refused connections)", refused_warnings > 0)
    verdict.check("the hang was felt (requests waited for the cache's timeout)", bool(waited))
    verdict.check(
        "after SIGCONT the rate limit counts in Redis again",
        posts_inside > 0 and result["counted"] >= posts_inside,
    )
    verdict.check(
        "after SIGCONT the page cache reads from Redis again",
        gets_inside > 0 and result["reads"] >= gets_inside,
    )
    return verdict.report()


def main(argv: list[str] | None = None) -> int:
    return run_drill(run, parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
