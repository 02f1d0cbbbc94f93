"""Drill: PostgreSQL stops for a few seconds in the middle of a stream of sign-ups.

A throw-away PostgreSQL cluster and gunicorn (2 workers) serve the site; residents keep
signing up through the real pages (GET the event, POST the form with its CSRF token).
Mid-stream the drill stops PostgreSQL (`pg_ctl stop -m fast`), waits, starts it again, and
keeps streaming without touching gunicorn. Then it checks what the residents were told
against what the database holds:

- every sign-up that got a confirmation page (302 to /aanmelding/<token>/) is stored;
- the event's counter equals its confirmed rows; no row lacks a field or its e-mail task;
- the app recovered by itself: after PostgreSQL was back, sign-ups succeed again and no
  request fails once the first one has;
- with --strict-503 (or DRILL_STRICT_503=1): requests during the outage got a 503 "try
  again" page, never a 500.

Usage: python -m scripts.drills.postgres_restart [--outage 4] [--clients 3] ...
Exit status: 0 when every invariant holds, 1 when one is broken, 2 when the drill could
not run (no PostgreSQL binaries, a setup step failed).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import Counter

from scripts.drills.common import (
    Stream,
    Verdict,
    app_env,
    prepare_site,
    run_drill,
    running_gunicorn,
    stored,
    table,
    throwaway_postgres,
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=3, help="parallel residents")
    parser.add_argument("--before", type=float, default=5, help="seconds of sign-ups first")
    parser.add_argument("--outage", type=float, default=4, help="seconds PostgreSQL is down")
    parser.add_argument("--after", type=float, default=8, help="seconds of sign-ups after")
    parser.add_argument("--pause", type=float, default=0.05, help="pause between attempts")
    parser.add_argument("--limit", type=int, default=1500, help="at most this many attempts")
    parser.add_argument(
        "--strict-503",
        action="store_true",
        default=os.environ.get("DRILL_STRICT_503", "") not in ("", "0", "false"),
        help="fail on any 500 (once the app turns database outages into a 503 page)",
    )
    return parser.parse_args(argv)


def phase(started: float, *, stopped_at: float, back_at: float) -> str:
    if started < stopped_at:
        return "before"
    if started < back_at:
        return "outage"
    return "after"


def run(args: argparse.Namespace) -> int:
    with throwaway_postgres() as cluster:
        database_url = cluster.create_database("bijeen")
        env = app_env(database_url)
        prepare_site(env, capacity=args.limit + 100)
        with running_gunicorn(env=env, workers=2) as server:
            workers_before = server.worker_pids()
            stream = Stream(
                base_url=server.base_url, clients=args.clients, limit=args.limit, pause=args.pause
            ).start()
            time.sleep(args.before)
            stopped_at = time.monotonic()
            cluster.stop("fast")
            time.sleep(args.outage)
            cluster.start()
            back_at = time.monotonic()
            time.sleep(args.after)
            stream.stop.set()
            stream.join()
            workers_after = server.worker_pids()
        figures = stored(database_url)

    attempts = sorted(stream.attempts, key=lambda a: a.started)
    phases = {
        name: [
            a for a in attempts if phase(a.started, stopped_at=stopped_at, back_at=back_at) == name
        ]
        for name in ("before", "outage", "after")
    }
    statuses = Counter(a.status for a in attempts if a.status is not None and not a.confirmed)
    confirmed = [a for a in attempts if a.confirmed]
    lost = [a for a in confirmed if a.token not in figures.tokens]
    after = phases["after"]
    first_ok = next((a for a in after if a.confirmed), None)
    failed_after_recovery = [
        a for a in after if first_ok and a.started > first_ok.started and not a.confirmed
    ]
    outage_failures = [a for a in phases["outage"] if not a.confirmed]

    table(
        "PostgreSQL restart drill",
        [
            ("outage (pg_ctl stop -m fast .. start)", f"{back_at - stopped_at:.1f} s"),
            ("sign-up attempts", len(attempts)),
            (
                "  started before / during / after the outage",
                "/".join(str(len(p)) for p in phases.values()),
            ),
            ("confirmation pages (302 to /aanmelding/<token>/)", len(confirmed)),
            ("503 responses", statuses.get(503, 0)),
            ("500 responses", statuses.get(500, 0)),
            (
                "other statuses",
                dict(sorted((k, v) for k, v in statuses.items() if k not in (500, 503))) or "-",
            ),
            ("connection errors", sum(1 for a in attempts if a.error)),
            ("rows in the database (event)", f"{figures.rows} {dict(figures.by_status)}"),
            ("event.confirmed_count", figures.counter),
            ("confirmed but not stored (lost)", len(lost)),
            ("stored without a confirmation page", figures.rows - len(confirmed)),
            (
                "first confirmation after PostgreSQL was back",
                f"{first_ok.started - back_at:+.2f} s" if first_ok else "none",
            ),
            (
                "gunicorn workers before / after",
                f"{len(workers_before)} / {len(workers_after)}, "
                f"same processes: {workers_before == workers_after}",
            ),
        ],
    )
    table(
        "Outcomes by phase",
        [
            (
                name,
                f"{dict(Counter(a.outcome for a in part).most_common())}, median "
                f"{statistics.median(a.finished - a.started for a in part) if part else 0:.2f} s",
            )
            for name, part in phases.items()
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
    verdict.check("the outage was felt (some attempt during it failed)", bool(outage_failures))
    verdict.check(
        "sign-ups succeed again after the restart, gunicorn untouched", first_ok is not None
    )
    verdict.check(
        "no failure once the first sign-up after the restart succeeded", not failed_after_recovery
    )
    if args.strict_503:
        verdict.check(
            "no 500 during the outage (503 'probeer het zo opnieuw')", statuses.get(500, 0) == 0
        )
    else:
        print("\n(500s are reported, not failed: pass --strict-503 once the 503 middleware is in.)")
    return verdict.report()


def main(argv: list[str] | None = None) -> int:
    return run_drill(run, parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
