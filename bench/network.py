"""`make bench-network`: the event row lock with PostgreSQL across a (simulated) network.

On one machine PostgreSQL answers in microseconds, so the round trips made while a
sign-up holds the event's row lock cost almost nothing. In production the database is
another machine; every round trip under the lock is then paid by every sign-up queued
behind it. This puts a throw-away PostgreSQL (scripts/drills/common.py) in a network
namespace of its own, reached over a veth pair with netem delay on both ends (0.5 ms each
way by default: 1 ms per round trip), and reports for one event:

- how many statements (round trips) a sign-up makes while holding the lock, for a
  confirmed sign-up and for a refusal (full event);
- how long the lock is held per sign-up (from the answer to ``SELECT … FOR UPDATE`` to the
  answer to ``COMMIT``/``ROLLBACK``: the same span as on the server, shifted by one way);
- how many sign-ups per second one event can then take: one over the hold, and measured
  with several threads signing up for the same event at once.

Everything stays on this machine: the namespace and its addresses (10.200.17.0/30) are
made here and removed afterwards; the load is bounded in count. Needs root (ip, tc).

    .venv/bin/python -m bench.network [--delay-ms 0.5] [--signups 200] [--threads 8]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from scripts.drills.common import Cluster, app_env

NAMESPACE = "bijeen-bench-pg"
HOST_IF, NS_IF = "bjn-pg-h", "bjn-pg-n"
HOST_ADDR, NS_ADDR = "10.200.17.1", "10.200.17.2"


def sh(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=30)  # noqa: S603


def network_up(delay_ms: float) -> bool:
    """The namespace and the veth pair; True if netem delays it, False if this kernel has
    no sch_netem (then a delaying proxy inside the namespace does)."""
    network_down()
    sh("ip", "netns", "add", NAMESPACE)
    sh("ip", "link", "add", HOST_IF, "type", "veth", "peer", "name", NS_IF)
    sh("ip", "link", "set", NS_IF, "netns", NAMESPACE)
    sh("ip", "addr", "add", f"{HOST_ADDR}/30", "dev", HOST_IF)
    sh("ip", "link", "set", HOST_IF, "up")
    ns = ("ip", "netns", "exec", NAMESPACE)
    sh(*ns, "ip", "addr", "add", f"{NS_ADDR}/30", "dev", NS_IF)
    sh(*ns, "ip", "link", "set", NS_IF, "up")
    sh(*ns, "ip", "link", "set", "lo", "up")
    if not netem_available():
        return False
    sh("tc", "qdisc", "add", "dev", HOST_IF, "root", "netem", "delay", f"{delay_ms}ms")
    sh(*ns, "tc", "qdisc", "add", "dev", NS_IF, "root", "netem", "delay", f"{delay_ms}ms")
    return True


def netem_available() -> bool:
    probe = ("tc", "qdisc", "add", "dev", HOST_IF, "root", "netem", "delay", "0ms")
    ok = subprocess.run(probe, capture_output=True, timeout=30, check=False).returncode == 0  # noqa: S603
    if ok:
        sh("tc", "qdisc", "del", "dev", HOST_IF, "root")
    return ok


def delaying_proxy(listen: tuple[str, int], target: tuple[str, int], delay_s: float) -> None:
    """Forward TCP from ``listen`` to ``target``, each chunk ``delay_s`` late in each
    direction (netem's job, for kernels without sch_netem). Runs until killed."""
    import collections
    import socket

    def pipe(source: socket.socket, sink: socket.socket) -> None:
        queue: collections.deque = collections.deque()
        ready = threading.Condition()

        def reader() -> None:
            while data := source.recv(65536):
                with ready:
                    queue.append((time.perf_counter() + delay_s, data))
                    ready.notify()
            with ready:
                queue.append((0.0, b""))
                ready.notify()

        def writer() -> None:
            while True:
                with ready:
                    while not queue:
                        ready.wait()
                    due, data = queue.popleft()
                if not data:
                    sink.shutdown(socket.SHUT_WR)
                    return
                wait = due - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
                sink.sendall(data)

        threading.Thread(target=reader, daemon=True).start()
        threading.Thread(target=writer, daemon=True).start()

    server = socket.create_server(listen)
    while True:
        client, _ = server.accept()
        upstream = socket.create_connection(target)
        for sock in (client, upstream):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        pipe(client, upstream)
        pipe(upstream, client)


def network_down() -> None:
    for command in (("ip", "link", "del", HOST_IF), ("ip", "netns", "del", NAMESPACE)):
        subprocess.run(command, capture_output=True, timeout=30, check=False)  # noqa: S603


class NamespacedCluster(Cluster):
    """The drills' throw-away PostgreSQL, run inside the namespace on its address."""

    def _as_owner(self, *command: str) -> list[str]:
        return ["ip", "netns", "exec", NAMESPACE, *super()._as_owner(*command)]

    def start(self) -> None:
        hba = self.data / "pg_hba.conf"
        if f"{HOST_ADDR}/32" not in hba.read_text():
            with hba.open("a") as file:
                file.write(f"host all all {HOST_ADDR}/32 trust\n")
        self._run(
            str(self.bindir / "pg_ctl"),
            "--pgdata",
            str(self.data),
            "--log",
            str(self.log),
            "--options",
            f"-p {self.port} -c listen_addresses={self.listen},{NS_ADDR} -k {self.base} "
            "-c max_connections=50 -c shared_buffers=32MB",
            "--wait",
            "start",
        )
        self.started = True

    listen = NS_ADDR
    proxy_port: int | None = None

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@{NS_ADDR}:{self.proxy_port or self.port}/{database}"


def measure(signups: int, threads: int) -> dict:
    """In this process, against the DATABASE_URL in the environment (Django set up)."""
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from events.models import Event
    from registrations import services

    def new_event(slug: str, capacity: int) -> Event:
        start = timezone.now() + datetime.timedelta(days=7)
        return Event.objects.create(
            title=slug,
            slug=slug,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=2),
            location="Buurthuis",
            capacity=capacity,
            is_published=True,
        )

    def one(event: Event, number: int, refused: bool) -> tuple[float, int, float]:
        """(lock held in ms, statements under the lock, whole call in ms)."""
        locked_at: list[float] = []

        def wrapper(execute, sql, params, many, context):
            result = execute(sql, params, many, context)
            if "FOR UPDATE" in sql and not locked_at:
                locked_at.append(time.perf_counter())
            return result

        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(wrapper):
            begun = time.perf_counter()
            try:
                services.register(
                    event=event, name=f"Bewoner {number}", email=f"b{number}@example.org"
                )
            except services.EventFull:
                if not refused:
                    raise
            ended = time.perf_counter()
        sqls = [query["sql"] for query in captured.captured_queries]
        lock_index = next(i for i, sql in enumerate(sqls) if "FOR UPDATE" in sql)
        under = len(sqls) - lock_index - 1  # after the lock, up to COMMIT/ROLLBACK
        return (ended - locked_at[0]) * 1000, under, (ended - begun) * 1000

    # Round trip of the plain network, for reference.
    with connection.cursor() as cursor:
        rtts = []
        for _ in range(50):
            t = time.perf_counter()
            cursor.execute("SELECT 1")
            rtts.append((time.perf_counter() - t) * 1000)

    result: dict = {"round_trip_ms": round(statistics.median(rtts), 3)}
    for kind, capacity in (("confirmed", signups * 10), ("refused_full", 1)):
        event = new_event(f"netwerk-{kind}", capacity)
        if capacity == 1:
            services.register(event=event, name="Eerste", email="eerste@example.org")
        for number in range(5):  # warm-up
            one(event, 10_000_000 + number, refused=capacity == 1)
        samples = [one(event, number, refused=capacity == 1) for number in range(signups)]
        held = sorted(sample[0] for sample in samples)
        result[kind] = {
            "statements_under_lock": statistics.mode(sample[1] for sample in samples),
            "lock_held_ms_p50": round(statistics.median(held), 3),
            "lock_held_ms_p90": round(held[int(len(held) * 0.9)], 3),
            "call_ms_p50": round(statistics.median(sample[2] for sample in samples), 3),
            "signups_per_second_ceiling": round(1000 / statistics.median(held), 1),
        }

    # Several residents at once, one event: the lock serialises them.
    event = new_event("netwerk-samen", signups * threads * 10)
    counter = iter(range(20_000_000, 30_000_000))
    lock = threading.Lock()
    done = []

    def worker() -> None:
        from django.db import connection as own

        try:
            for _ in range(signups):
                with lock:
                    number = next(counter)
                services.register(event=event, name="Samen", email=f"s{number}@example.org")
                done.append(1)
        finally:
            own.close()

    workers = [threading.Thread(target=worker) for _ in range(threads)]
    begun = time.perf_counter()
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=300)
    elapsed = time.perf_counter() - begun
    event.refresh_from_db()
    if event.confirmed_count != len(done):
        raise RuntimeError(f"counter {event.confirmed_count}, {len(done)} signed up")
    result["concurrent"] = {
        "threads": threads,
        "signups": len(done),
        "seconds": round(elapsed, 2),
        "signups_per_second": round(len(done) / elapsed, 1),
    }
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--delay-ms", type=float, default=0.5, help="netem delay each way")
    parser.add_argument("--signups", type=int, default=200)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--out", type=Path, default=None, help="write the JSON here too")
    parser.add_argument("--proxy", type=int, nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("bench-network needs root (ip netns, tc)", file=sys.stderr)
        return 2
    if args.proxy:
        listen_port, target_port = args.proxy
        delaying_proxy((NS_ADDR, listen_port), ("127.0.0.1", target_port), args.delay_ms / 1000)
        return 0
    cluster = NamespacedCluster()
    proxy = None
    try:
        netem = network_up(args.delay_ms)
        if not netem:
            cluster.listen = "127.0.0.1"
        cluster.create()
        if not netem:
            cluster.proxy_port = cluster.port + 1
            proxy = subprocess.Popen(  # noqa: S603
                [
                    *("ip", "netns", "exec", NAMESPACE, sys.executable, "-m", "bench.network"),
                    *("--delay-ms", str(args.delay_ms), "--proxy"),
                    *(str(cluster.proxy_port), str(cluster.port)),
                ],
                cwd=Path(__file__).resolve().parent.parent,
            )
            time.sleep(1)
        url = cluster.create_database("bijeen_bench_network")
        env = app_env(
            url,
            DJANGO_SETTINGS_MODULE="config.settings.production",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            DJANGO_SITE_URL="http://127.0.0.1",
            DJANGO_TRUSTED_PROXY_COUNT="1",
            CACHE_URL=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/0"),
            DJANGO_CACHE_KEY_PREFIX=f"bench-network-{os.getpid()}",
        )
        os.environ.clear()
        os.environ.update(env)
        os.environ["BIJEEN_PAGE_CACHE_SECONDS"] = "0"
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", "--noinput", verbosity=0)
        result = {
            "delay_ms_each_way": args.delay_ms,
            "delay_by": "netem" if netem else "delaying proxy in the namespace (no sch_netem)",
            **measure(args.signups, args.threads),
        }
    finally:
        if proxy is not None:
            proxy.terminate()
            proxy.wait(timeout=10)
        cluster.remove()
        network_down()
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
