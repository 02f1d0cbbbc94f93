"""The benchmark's own stack: a fresh PostgreSQL database, gunicorn app servers, nginx.

Everything listens on 127.0.0.1 only and is started as a child of the benchmark, which
stops it again (also when the benchmark itself is killed: children get SIGTERM from the
kernel when their parent dies).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
NGINX_TEMPLATE = ROOT / "deploy" / "nginx-bench.conf"
# Debian package for each tool the benchmark drives.
TOOLS = {"nginx": "nginx", "wrk": "wrk", "openssl": "openssl"}


class BenchError(RuntimeError):
    """Something the benchmark needs is missing or broken; the message says what to do."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def find_tool(name: str) -> str | None:
    # nginx lives in /usr/sbin, which is not on every user's PATH.
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")


def ensure_tools(*, install: bool) -> dict[str, str]:
    """Paths of nginx, wrk and openssl; installs missing ones from Debian when allowed."""
    missing = [name for name in TOOLS if not find_tool(name)]
    if missing and install and os.geteuid() == 0 and shutil.which("apt-get"):
        packages = [TOOLS[name] for name in missing]
        print(f"installing Debian packages: {' '.join(packages)}", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (
            ["apt-get", "update", "-qq"],
            ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
        ):
            subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
        missing = [name for name in TOOLS if not find_tool(name)]
    if missing:
        packages = " ".join(TOOLS[name] for name in missing)
        raise BenchError(
            f"missing {', '.join(missing)}: install with `apt-get install {packages}` "
            "(as root, `make bench` does that itself)"
        )
    return {name: find_tool(name) or name for name in TOOLS}


def _die_with_parent() -> None:
    """In the child, before exec: get SIGTERM when the benchmark process dies."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start(command: list[str], *, env: dict, log: Path) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen(  # noqa: S603
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
        )


def stop(process: subprocess.Popen, *, sig: int = signal.SIGTERM, timeout: float = 30) -> None:
    if process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def wait_for(url_check, *, process: subprocess.Popen, what: str, log: Path, timeout=60) -> None:
    deadline = time.monotonic() + timeout
    while not url_check():
        if process.poll() is not None:
            raise BenchError(f"{what} exited; its log ({log}):\n{_tail(log)}")
        if time.monotonic() > deadline:
            raise BenchError(f"{what} did not answer in {timeout} s; log {log}:\n{_tail(log)}")
        time.sleep(0.2)


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# --- PostgreSQL -----------------------------------------------------------------------


def add_database_options(parser, *, name: str) -> None:
    """``--database-url`` (the benchmark's own database ``name`` on DATABASE_URL's server,
    or BENCH_DATABASE_URL) and ``--cache-url`` (BENCH_CACHE_URL or the local Redis)."""
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL")
        or database_url(
            os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bijeen"), name
        ),
        help="the benchmark's own database (dropped and created anew; its name must have 'bench')",
    )
    parser.add_argument(
        "--cache-url", default=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/0")
    )


def database_url(base_url: str, name: str) -> str:
    """``base_url`` with its database name replaced by ``name``."""
    parts = urlsplit(base_url)
    return urlunsplit(parts._replace(path="/" + name))


def _maintenance(url: str) -> psycopg.Connection:
    parts = urlsplit(url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
        autocommit=True,
        connect_timeout=10,
    )


def recreate_database(url: str) -> None:
    """Drop and create the database that ``url`` names (only ever the benchmark's own)."""
    name = urlsplit(url).path.lstrip("/")
    if "bench" not in name:
        raise BenchError(f"refusing to drop {name!r}: the benchmark database's name has 'bench'")
    try:
        with _maintenance(url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        raise BenchError(f"cannot reach PostgreSQL at {url}: {exc}") from exc


def drop_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    if "bench" in name:
        with _maintenance(url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def check_redis(url: str) -> None:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=5) as sock:
            sock.sendall(b"PING\r\n")
            if not sock.recv(64).startswith(b"+PONG"):
                raise BenchError(f"Redis at {url} did not answer PING")
    except OSError as exc:
        raise BenchError(f"cannot reach Redis at {url}: {exc}") from exc


# --- App servers and nginx --------------------------------------------------------------


def manage(*args: str, env: dict) -> None:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        raise BenchError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")


def _answers(host: str, port: int, path: str = "/healthz") -> bool:
    try:
        with socket.create_connection((host, port), timeout=2) as sock:
            sock.sendall(f"GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n".encode())
            return sock.recv(16).split(b" ")[1:2] == [b"200"]
    except OSError:
        return False


@contextlib.contextmanager
def app_servers(
    *, count: int, env: dict, workdir: Path
) -> Iterator[list[tuple[str, subprocess.Popen]]]:
    """``count`` gunicorn app servers with config/gunicorn.py; yields (address, process)."""
    servers: list[tuple[str, subprocess.Popen]] = []
    try:
        for number in range(1, count + 1):
            port = free_port()
            log = workdir / f"app{number}.log"
            server_env = {
                **env,
                "GUNICORN_BIND": f"127.0.0.1:{port}",
                "GUNICORN_ACCESSLOG": str(workdir / f"access{number}.log"),
                "GUNICORN_LOGLEVEL": "warning",
            }
            command = [sys.executable, "-m", "gunicorn", "--config", "config/gunicorn.py"]
            process = start(command, env=server_env, log=log)
            servers.append((f"127.0.0.1:{port}", process))
            wait_for(
                lambda port=port: _answers("127.0.0.1", port),
                process=process,
                what=f"app server {number}",
                log=log,
            )
        yield servers
    finally:
        for _, process in servers:
            stop(process)


def make_certificate(*, openssl: str, workdir: Path) -> None:
    """A throw-away self-signed certificate for 127.0.0.1."""
    subprocess.run(  # noqa: S603
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(workdir / "key.pem"),
            "-out",
            str(workdir / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )


@contextlib.contextmanager
def nginx(
    *, binary: str, openssl: str, upstreams: list[str], workdir: Path
) -> Iterator[tuple[str, subprocess.Popen]]:
    """Debian's nginx with deploy/nginx-bench.conf; yields its https base URL."""
    prefix = workdir / "nginx"
    prefix.mkdir()
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / sub).mkdir()
    # Run as root, nginx's workers drop to an unprivileged user, which must be able to
    # enter the prefix to reach its temporary directories (nginx chowns those itself).
    os.chmod(workdir, 0o755)  # noqa: S103
    os.chmod(prefix, 0o755)  # noqa: S103
    make_certificate(openssl=openssl, workdir=prefix)
    port = free_port()
    config = NGINX_TEMPLATE.read_text()
    for name, value in {
        "PREFIX": str(prefix),
        "PORT": str(port),
        "APP1": upstreams[0],
        "APP2": upstreams[1 % len(upstreams)],
    }.items():
        config = config.replace(f"@@{name}@@", value)
    (prefix / "nginx.conf").write_text(config)
    log = workdir / "nginx.log"
    process = start(
        [binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(log)],
        env=dict(os.environ),
        log=log,
    )
    try:

        def listening() -> bool:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
            except OSError:
                return False
            return True

        wait_for(listening, process=process, what="nginx", log=log, timeout=20)
        yield f"https://127.0.0.1:{port}", process
    finally:
        stop(process, sig=signal.SIGQUIT)  # graceful: finish requests in flight


# --- CPU accounting ---------------------------------------------------------------------

_TICK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class CpuSample:
    """CPU seconds used so far: per group of process trees, and per PostgreSQL backend of
    the benchmark's database, keyed by (pid, start time) so a reused pid is a new one."""

    trees: dict[str, float]
    backends: dict[tuple[int, int], float]


def _processes() -> dict[int, tuple[int, int, float, str]]:
    """pid -> (parent pid, start time in ticks, CPU seconds used, command line) for every
    process we can read.

    CPU seconds are user + system time plus that of children already waited for (a
    gunicorn worker that exits counts in its master's once the master has reaped it).
    """
    table: dict[int, tuple[int, int, float, str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        # Fields from the third on (state), after the command name in parentheses.
        fields = stat[stat.rindex(")") + 2 :].split()
        ppid, started = int(fields[1]), int(fields[19])
        utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
        cpu = (utime + stime + cutime + cstime) / _TICK
        table[int(entry.name)] = (ppid, started, cpu, cmdline)
    return table


def cpu_sample(*, roots: dict[str, list[int]], database: str) -> CpuSample:
    """CPU seconds used so far by each group of process trees in ``roots`` (for example
    {"app": [gunicorn masters], "nginx": [nginx master]}) and by each PostgreSQL backend
    connected to ``database``. ``cpu_used()`` turns two samples into the CPU spent between
    them."""
    table = _processes()
    children: dict[int, list[int]] = {}
    for pid, (ppid, *_) in table.items():
        children.setdefault(ppid, []).append(pid)

    def tree(pid: int) -> float:
        own = table[pid][2] if pid in table else 0.0
        return own + sum(tree(child) for child in children.get(pid, []))

    return CpuSample(
        trees={name: sum(tree(pid) for pid in pids) for name, pids in roots.items()},
        backends={
            (pid, started): cpu
            for pid, (_, started, cpu, cmd) in table.items()
            if cmd.startswith("postgres: ") and f" {database} " in cmd
        },
    )


def cpu_used(before: CpuSample, after: CpuSample) -> tuple[dict[str, float], int]:
    """CPU seconds spent between two samples per group, "postgres" included, and the
    number of PostgreSQL backends that exited in between.

    The backends are not children of anything we started, and the postmaster they belong
    to serves other databases too, so they are counted one by one: after - before for a
    backend in both samples, all of its CPU for one that started in between. A backend
    that exited in between took its counters with it; what it spent after the first sample
    is lost (the figure is then a lower bound, hence the count), but it never subtracts.
    """
    used = {name: after.trees[name] - before.trees[name] for name in after.trees}
    postgres = 0.0
    for key, cpu in after.backends.items():
        postgres += max(0.0, cpu - before.backends.get(key, 0.0))
    used["postgres"] = postgres
    exited = sum(1 for key in before.backends if key not in after.backends)
    return used, exited
