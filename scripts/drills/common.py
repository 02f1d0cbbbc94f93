"""What the fault drills share: a throw-away PostgreSQL, the app on gunicorn, residents who
sign up through the real pages, and the checks on what ended up in the database.

The drills never touch the machine's own PostgreSQL server: each one runs `initdb` into a
temporary directory and starts its own server on a free loopback port, as the ``postgres``
user when run as root (PostgreSQL refuses to run as root), and removes it at the end.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import requests

ROOT = Path(__file__).resolve().parents[2]
EVENT_SLUG = "drill-avond"
EVENT_PATH = f"/evenementen/{EVENT_SLUG}/"
CONFIRMATION = re.compile(r"^(?:https?://[^/]+)?/aanmelding/([A-Za-z0-9_-]+)/$")
SIGNUP_FORM = re.compile(r"<form\b[^>]*action=\"[^\"]*/aanmelden/\"[^>]*>(.*?)</form>", re.S)
HIDDEN_INPUT = re.compile(r"<input\b[^>]*>", re.S)
ATTRIBUTE = re.compile(r'(\w[\w-]*)="([^"]*)"')


class DrillError(Exception):
    """The drill could not be set up (not an invariant broken by the app)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, so `finally:` blocks clean up when make is stopped."""

    def handler(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


def run_drill(run, args) -> int:
    """A drill's entry point: clean up on SIGTERM; exit 2 when the drill cannot run."""
    stop_on_sigterm()
    try:
        return run(args)
    except DrillError as exc:
        print(f"drill could not run: {exc}", file=sys.stderr)
        return 2


# --- A throw-away PostgreSQL --------------------------------------------------------------


def postgres_bindir() -> Path:
    """The newest installed PostgreSQL's bin directory (Debian's layout), or pg_config's."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if candidates:
        return candidates[-1].parent
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run(  # noqa: S603
            [pg_config, "--bindir"], capture_output=True, text=True, check=True
        )
        bindir = Path(out.stdout.strip())
        if (bindir / "initdb").exists():
            return bindir
    raise DrillError("PostgreSQL's initdb not found (apt-get install postgresql)")


class Cluster:
    """A PostgreSQL server of our own in a temporary directory, on a free loopback port."""

    def __init__(self) -> None:
        self.bindir = postgres_bindir()
        self.port = free_port()
        self.base = Path(tempfile.mkdtemp(prefix="bijeen-drill-pg-"))
        self.data = self.base / "data"
        self.log = self.base / "postgresql.log"
        self.started = False

    def _as_owner(self, *command: str) -> list[str]:
        # PostgreSQL refuses to run as root; as root, run its tools as the postgres user.
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *command]
        return list(command)

    def _run(self, *command: str, timeout: float = 120) -> None:
        result = subprocess.run(  # noqa: S603
            self._as_owner(*command), capture_output=True, text=True, timeout=timeout, check=False
        )
        if result.returncode != 0:
            raise DrillError(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")

    def create(self) -> Cluster:
        if os.geteuid() == 0:
            shutil.chown(self.base, user="postgres")
        self._run(
            str(self.bindir / "initdb"),
            "--pgdata",
            str(self.data),
            "--username",
            "postgres",
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C.UTF-8",
            "--no-sync",  # a throw-away cluster; crash safety of initdb is not under test
        )
        self.start()
        return self

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.base} "
            "-c max_connections=50 -c shared_buffers=16MB"
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            "--pgdata",
            str(self.data),
            "--log",
            str(self.log),
            "--options",
            options,
            "--wait",
            "start",
        )
        self.started = True

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bindir / "pg_ctl"), "--pgdata", str(self.data), "-m", mode, "stop")
        self.started = False

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def remove(self) -> None:
        if self.started:
            with contextlib.suppress(DrillError, subprocess.TimeoutExpired):
                self.stop("immediate")
        shutil.rmtree(self.base, ignore_errors=True)


@contextlib.contextmanager
def throwaway_postgres() -> Iterator[Cluster]:
    cluster = Cluster()
    try:
        yield cluster.create()
    finally:
        cluster.remove()


# --- The app -------------------------------------------------------------------------------


def app_env(database_url: str, **extra: str) -> dict[str, str]:
    """Environment for manage.py and gunicorn: production-like, against ``database_url``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "CACHE_URL", "EMAIL_URL"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DJANGO_DEBUG": "false",
            "DATABASE_URL": database_url,
            "EMAIL_URL": "consolemail://",
            # The drills stream sign-ups from one address: no rate limit for this load test.
            "DJANGO_RATELIMIT_ENABLE": "false",
            "DJANGO_LOG_LEVEL": "ERROR",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


CREATE_EVENT = """
import datetime
from django.utils import timezone
from events.models import Event
start = timezone.now() + datetime.timedelta(days=7)
Event.objects.create(title="Drill-avond", slug="{slug}", starts_at=start,
    ends_at=start + datetime.timedelta(hours=2), location="Buurthuis", capacity={capacity},
    is_published=True)
"""


def manage(*args: str, env: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        raise DrillError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")


def prepare_site(env: dict[str, str], *, capacity: int) -> None:
    """Migrate the empty database and add one published event with ``capacity`` seats."""
    manage("migrate", "--noinput", env=env)
    manage("shell", "-c", CREATE_EVENT.format(slug=EVENT_SLUG, capacity=capacity), env=env)


def process_children(pid: int) -> set[int]:
    """Live child processes of ``pid`` (from /proc: Linux only, like the drills)."""
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            # The command name may hold spaces and parentheses; fields follow the last ")".
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                children.add(int(stat.parent.name))
    return children


class Gunicorn:
    """`gunicorn config.wsgi` with ``workers`` sync workers on a free loopback port."""

    def __init__(
        self,
        *,
        env: dict[str, str],
        workers: int = 2,
        config: str | None = None,
        timeout: int | None = None,
    ):
        self.env = env
        self.workers = workers
        self.config = config
        self.timeout = timeout  # gunicorn's worker timeout (its default: 30 s)
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115
            prefix="bijeen-drill-gunicorn-", suffix=".log", delete=False
        )

    def start(self) -> Gunicorn:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--graceful-timeout",
            "5",
            "--log-level",
            "warning",
        ]
        if self.config:
            command += ["--config", self.config]
        if self.timeout:
            command += ["--timeout", str(self.timeout)]
        self.process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(requests.RequestException):  # not up yet, or still booting
                if requests.get(self.base_url + "/healthz", timeout=5).status_code == 200:
                    break
            if self.process.poll() is not None:
                raise DrillError(f"gunicorn exited:\n{self._log_tail()}")
            if time.monotonic() > deadline:
                raise DrillError(f"gunicorn did not answer /healthz:\n{self._log_tail()}")
            time.sleep(0.2)
        self.wait_for_workers()
        return self

    def _log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def log_text(self) -> str:
        """What gunicorn and the app wrote so far (stdout and stderr)."""
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")

    @property
    def master_alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def worker_pids(self) -> set[int]:
        return process_children(self.process.pid) if self.process else set()

    def wait_for_workers(self, timeout: float = 30) -> float:
        """Wait until the master runs its full number of workers; return how long it took."""
        started = time.monotonic()
        while len(self.worker_pids()) < self.workers:
            if time.monotonic() - started > timeout or not self.master_alive:
                raise DrillError(f"gunicorn has {len(self.worker_pids())} workers")
            time.sleep(0.05)
        return time.monotonic() - started

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)


@contextlib.contextmanager
def running_gunicorn(**options) -> Iterator[Gunicorn]:
    server = Gunicorn(**options)
    try:
        yield server.start()
    finally:
        server.stop()


# --- Residents -------------------------------------------------------------------------------


@dataclass
class Attempt:
    """One resident's sign-up: the event page (GET), then the form (POST)."""

    number: int
    started: float = 0.0
    finished: float = 0.0
    stage: str = "GET"  # where it ended: GET or POST
    status: int | None = None
    error: str | None = None
    token: str | None = None

    @property
    def confirmed(self) -> bool:
        return self.token is not None

    @property
    def outcome(self) -> str:
        if self.confirmed:
            return "confirmation page (302)"
        if self.error:
            return f"{self.stage}: {self.error}"
        return f"{self.stage} {self.status}"


def form_fields(page: str) -> dict[str, str]:
    """Every hidden field of the sign-up form on ``page`` (the CSRF token, and whatever
    else the form carries), so the drill posts what a browser would."""
    form = SIGNUP_FORM.search(page)
    if not form:
        return {}
    fields = {}
    for tag in HIDDEN_INPUT.findall(form.group(1)):
        attributes = dict(ATTRIBUTE.findall(tag))
        if attributes.get("type") == "hidden" and "name" in attributes:
            fields[attributes["name"]] = html.unescape(attributes.get("value", ""))
    return fields


def sign_up(base_url: str, number: int, *, timeout: float = 30, https: bool = False) -> Attempt:
    """Load the event page and send its sign-up form as resident ``number``.

    ``https``: for production settings, which expect TLS ended by a proxy in front: every
    request says ``X-Forwarded-Proto: https``, the Referer is https, and the Secure CSRF
    cookie is sent back over the plain loopback connection."""
    attempt = Attempt(number=number, started=time.monotonic())
    origin = base_url.replace("http://", "https://", 1) if https else base_url
    try:
        with requests.Session() as session:
            if https:
                session.headers["X-Forwarded-Proto"] = "https"
            page = session.get(base_url + EVENT_PATH, timeout=timeout)
            if https:  # the drill plays the TLS proxy: send Secure cookies over loopback
                for cookie in session.cookies:
                    cookie.secure = False
            attempt.status = page.status_code
            fields = form_fields(page.text) if page.status_code == 200 else {}
            if "csrfmiddlewaretoken" not in fields:
                if page.status_code == 200:
                    attempt.error = "no sign-up form on the page"
                return attempt
            attempt.stage = "POST"
            attempt.status = None
            response = session.post(
                base_url + EVENT_PATH + "aanmelden/",
                data={
                    **fields,
                    "name": f"Drill Bewoner {number}",
                    "email": f"bewoner{number}@drill.example.org",
                    "consent": "on",
                },
                headers={"Referer": origin + EVENT_PATH},
                allow_redirects=False,
                timeout=timeout,
            )
            attempt.status = response.status_code
            match = CONFIRMATION.match(response.headers.get("Location", ""))
            if response.status_code == 302 and match:
                attempt.token = match.group(1)
    except requests.ConnectionError:
        attempt.error = "connection lost"  # e.g. the worker serving it was killed
    except requests.RequestException as exc:
        attempt.error = type(exc).__name__
    finally:
        attempt.finished = time.monotonic()
    return attempt


class Stream:
    """Residents signing up one after another on ``clients`` parallel connections until
    ``stop`` is set or ``limit`` attempts were made; each gets a new number (and e-mail)."""

    def __init__(
        self,
        *,
        base_url: str,
        clients: int,
        limit: int,
        pause: float = 0.0,
        https: bool = False,
    ):
        self.base_url = base_url
        self.pause = pause
        self.https = https
        self.attempts: list[Attempt] = []
        self.stop = threading.Event()
        self._numbers = iter(range(1, limit + 1))
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._client, daemon=True) for _ in range(clients)]

    def _client(self) -> None:
        while not self.stop.is_set():
            with self._lock:
                number = next(self._numbers, None)
            if number is None:
                return
            attempt = sign_up(self.base_url, number, https=self.https)
            with self._lock:
                self.attempts.append(attempt)
            if self.pause:
                time.sleep(self.pause)

    def start(self) -> Stream:
        for thread in self._threads:
            thread.start()
        return self

    def join(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    @property
    def done(self) -> bool:
        return not any(thread.is_alive() for thread in self._threads)


# --- What the database holds ---------------------------------------------------------------


@dataclass
class Stored:
    rows: int
    by_status: Counter[str]
    counter: int
    capacity: int
    tokens: set[str]
    ids: set[int]
    incomplete: int  # rows missing a field a finished sign-up always has
    without_mail: int  # rows whose e-mail task (written in the same transaction) is missing
    orphan_mail: int  # e-mail tasks for a registration that is not stored


def stored(database_url: str) -> Stored:
    with psycopg.connect(database_url) as conn:
        event_id, counter, capacity = conn.execute(
            "SELECT id, confirmed_count, capacity FROM events_event WHERE slug = %s",
            [EVENT_SLUG],
        ).fetchone()
        rows = conn.execute(
            "SELECT id, token, status, name, email, created_at "
            "FROM registrations_registration WHERE event_id = %s",
            [event_id],
        ).fetchall()
        mailed = {
            int(value)
            for (value,) in conn.execute(
                "SELECT args_kwargs -> 'kwargs' ->> 'registration_id' "
                "FROM django_tasks_database_dbtaskresult"
            ).fetchall()
            if value is not None
        }
    return Stored(
        rows=len(rows),
        by_status=Counter(status for _, _, status, _, _, _ in rows),
        counter=counter,
        capacity=capacity,
        tokens={token for _, token, _, _, _, _ in rows},
        ids={pk for pk, *_ in rows},
        incomplete=sum(
            1
            for _, token, status, name, email, created in rows
            if not (token and status and name and email and created)
        ),
        without_mail=sum(1 for pk, *_ in rows if pk not in mailed),
        orphan_mail=len(mailed - {pk for pk, *_ in rows}),
    )


# --- Reporting ------------------------------------------------------------------------------


def table(title: str, rows: list[tuple[str, object]]) -> None:
    width = max(len(label) for label, _ in rows)
    print(f"\n{title}")
    print("-" * (width + 12))
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


@dataclass
class Verdict:
    checks: list[tuple[str, bool]] = field(default_factory=list)

    def check(self, description: str, ok: bool) -> None:
        self.checks.append((description, ok))

    @property
    def passed(self) -> bool:
        return all(ok for _, ok in self.checks)

    def report(self) -> int:
        table("Invariants", [(text, "ok" if ok else "BROKEN") for text, ok in self.checks])
        print("\nPASS" if self.passed else "\nFAIL")
        return 0 if self.passed else 1
