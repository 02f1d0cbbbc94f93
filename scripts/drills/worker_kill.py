"""Drill: gunicorn workers killed (SIGKILL) mid-request during a rush of sign-ups.

A throw-away PostgreSQL cluster and gunicorn (2 sync workers) serve the site; residents
rush the sign-up form in parallel. Meanwhile the drill SIGKILLs workers, alternating two
ways: aimed at an open sign-up transaction (between its INSERTs and its COMMIT: see
gunicorn_open_transaction.py) and at a random moment. After each kill it waits for the
gunicorn master to start a replacement. Then it checks:

- no committed registration is lost: every confirmation page's sign-up is stored;
- none is half-written: the event's counter equals its confirmed rows, every row has all
  its fields and its e-mail task, and the registrations that were in flight in a killed
  transaction are not in the database at all (PostgreSQL rolled them back);
- the master replaced every killed worker and service continues: a last round of
  sign-ups after the rush all succeed.

Usage: python -m scripts.drills.worker_kill [--attempts 150] [--kills 6] ...
Exit status: 0 when every invariant holds, 1 when one is broken, 2 when the drill could
not run.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from scripts.drills.common import (
    ROOT,
    DrillError,
    Gunicorn,
    Stream,
    Verdict,
    app_env,
    prepare_site,
    run_drill,
    running_gunicorn,
    sign_up,
    stored,
    table,
    throwaway_postgres,
)

HOOKS = ROOT / "scripts" / "drills" / "gunicorn_open_transaction.py"


@dataclass
class Kill:
    pid: int
    aimed: bool  # aimed at an open transaction, or at a random moment
    in_flight: int | None  # the registration id whose transaction was open, when aimed
    respawn_seconds: float = 0.0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attempts", type=int, default=150, help="sign-ups in the rush")
    parser.add_argument("--clients", type=int, default=6, help="parallel residents")
    parser.add_argument("--kills", type=int, default=6, help="workers to SIGKILL")
    parser.add_argument(
        "--commit-delay",
        type=float,
        default=0.05,
        help="seconds each sign-up transaction stays open before COMMIT",
    )
    parser.add_argument("--final", type=int, default=5, help="sign-ups after the rush")
    parser.add_argument("--seed", type=int, default=None, help="for the random kill moments")
    return parser.parse_args(argv)


def ready_workers(server: Gunicorn, markers: Path) -> set[int]:
    """Workers that have loaded the app (not still booting)."""
    return server.worker_pids() & {int(p.name) for p in (markers / "ready").iterdir()}


def wait_until_ready(server: Gunicorn, markers: Path, *, timeout: float = 60) -> float:
    """Wait until the master runs its full number of workers again, each ready to serve;
    return how long that took."""
    started = time.monotonic()
    while len(ready_workers(server, markers)) < server.workers:
        if time.monotonic() - started > timeout or not server.master_alive:
            raise DrillError("gunicorn did not get its workers back")
        time.sleep(0.02)
    return time.monotonic() - started


def aimed_kill(
    server: Gunicorn, markers: Path, *, delay: float, timeout: float = 10
) -> Kill | None:
    """SIGKILL a worker while it holds a sign-up transaction open: its marker exists and
    was written less than half the pause ago, so the COMMIT is still well ahead."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        workers = server.worker_pids()
        for marker in (markers / "open").iterdir():
            pid = int(marker.name)
            if pid not in workers:
                continue
            try:
                registration_id, written = marker.read_text().split()
            except (OSError, ValueError):
                continue  # committed (and removed) just now, or being written
            if time.time() - float(written) > delay / 2:
                continue
            os.kill(pid, signal.SIGKILL)
            return Kill(pid=pid, aimed=True, in_flight=int(registration_id))
        time.sleep(0.002)
    return None


def random_kill(server: Gunicorn, markers: Path, rng: random.Random) -> Kill | None:
    time.sleep(rng.uniform(0.05, 0.5))
    workers = sorted(ready_workers(server, markers))
    if not workers:
        return None
    pid = rng.choice(workers)
    os.kill(pid, signal.SIGKILL)
    return Kill(pid=pid, aimed=False, in_flight=None)


def run(args: argparse.Namespace) -> int:
    rng = random.Random(args.seed)  # noqa: S311 (kill moments, not secrets)
    markers = Path(tempfile.mkdtemp(prefix="bijeen-drill-markers-"))
    (markers / "open").mkdir()
    (markers / "ready").mkdir()
    kills: list[Kill] = []
    try:
        with throwaway_postgres() as cluster:
            database_url = cluster.create_database("bijeen")
            env = app_env(
                database_url,
                DRILL_MARKER_DIR=str(markers),
                DRILL_COMMIT_DELAY=str(args.commit_delay),
            )
            total = args.attempts + args.final
            prepare_site(env, capacity=total + 100)
            with running_gunicorn(env=env, workers=2, config=str(HOOKS)) as server:
                wait_until_ready(server, markers)
                first_workers = server.worker_pids()
                stream = Stream(
                    base_url=server.base_url, clients=args.clients, limit=args.attempts
                ).start()
                for number in range(args.kills):
                    if stream.done:
                        break
                    kill = (
                        aimed_kill(server, markers, delay=args.commit_delay)
                        if number % 2 == 0
                        else None
                    )
                    kill = kill or random_kill(server, markers, rng)
                    if kill is None:
                        continue
                    kill.respawn_seconds = wait_until_ready(server, markers)
                    kills.append(kill)
                stream.join(timeout=300)
                # Service continues: the same gunicorn, no restart, answers new residents.
                final = [
                    sign_up(server.base_url, args.attempts + n) for n in range(1, args.final + 1)
                ]
                last_workers = server.worker_pids()
                master_alive = server.master_alive
            figures = stored(database_url)
    finally:
        shutil.rmtree(markers, ignore_errors=True)

    attempts = stream.attempts + final
    confirmed = [a for a in attempts if a.confirmed]
    lost = [a for a in confirmed if a.token not in figures.tokens]
    aimed = [k for k in kills if k.aimed]
    # An aimed kill whose registration is stored lost the race: the worker committed in
    # the moment between the drill reading the marker and the signal arriving.
    rolled_back = [k for k in aimed if k.in_flight not in figures.ids]
    killed = {k.pid for k in kills}
    outcomes = Counter(a.outcome for a in stream.attempts)

    table(
        "Worker kill drill",
        [
            ("sign-up attempts in the rush", len(stream.attempts)),
            (
                "workers killed (SIGKILL)",
                f"{len(kills)} ({len(aimed)} aimed at an open transaction, "
                f"{len(kills) - len(aimed)} at a random moment)",
            ),
            (
                "aimed kills that landed before COMMIT (rolled back)",
                f"{len(rolled_back)} of {len(aimed)}",
            ),
            (
                "slowest replacement by the master (until it serves)",
                f"{max((k.respawn_seconds for k in kills), default=0):.2f} s",
            ),
            ("outcomes in the rush", dict(outcomes.most_common())),
            ("confirmation pages (rush + final)", len(confirmed)),
            (
                "final sign-ups after the rush that succeeded",
                f"{sum(a.confirmed for a in final)} of {len(final)}",
            ),
            ("rows in the database (event)", f"{figures.rows} {dict(figures.by_status)}"),
            ("event.confirmed_count", figures.counter),
            ("confirmed but not stored (lost)", len(lost)),
            ("stored without a confirmation page", figures.rows - len(confirmed)),
            (
                "rows missing a field / their e-mail task",
                f"{figures.incomplete} / {figures.without_mail}",
            ),
            ("e-mail tasks without a stored registration", figures.orphan_mail),
            (
                "gunicorn workers at start / end",
                f"{len(first_workers)} / {len(last_workers)}, "
                f"{len(last_workers - first_workers)} of them started by the master",
            ),
        ],
    )

    verdict = Verdict()
    verdict.check("every confirmation page's sign-up is in the database", not lost)
    verdict.check(
        "event counter equals confirmed rows",
        figures.counter == figures.by_status.get("confirmed", 0),
    )
    verdict.check("no row is missing a field", figures.incomplete == 0)
    verdict.check("every row has its e-mail task (same transaction)", figures.without_mail == 0)
    verdict.check("no e-mail task for a registration that is not stored", figures.orphan_mail == 0)
    verdict.check(
        "a kill landed inside an open sign-up transaction (and it left nothing behind)",
        bool(rolled_back) or args.kills == 0,
    )
    verdict.check(
        "the master replaced every killed worker",
        master_alive and len(last_workers) == 2 and not killed & last_workers,
    )
    verdict.check(
        "service continues: every final sign-up succeeded", all(a.confirmed for a in final)
    )
    return verdict.report()


def main(argv: list[str] | None = None) -> int:
    return run_drill(run, parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
