"""Gunicorn settings for an app server: ``gunicorn -c config/gunicorn.py``.

Every value comes from an environment variable (``GUNICORN_*``) with a default that suits
one app server behind nginx; command-line options still override them. docs/deploy.md
explains the choices, docs/performance.md the measurements behind the defaults.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


wsgi_app = "config.wsgi:application"
proc_name = "bijeen"

# Where nginx reaches this server. A comma-separated list binds several addresses.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Processes and threads. One thread per process (gunicorn's "sync" worker) by default: in
# a sign-up rush the thread that holds an event's row lock must not wait for Python's
# interpreter lock behind threads rendering pages, or every sign-up queued behind it waits
# too. `make bench` measured it: the rush's POSTs had a p99 of 2.5-3.2 s with sync workers
# against 3.7-5.5 s with 4 threads per process, at the same CPU per attempt; threads were
# cheaper for cached pages (docs/performance.md). nginx buffers slow clients, which is
# what sync workers need. GUNICORN_THREADS > 1 switches to the "gthread" worker. Each
# thread keeps its own database connection: workers x threads x app servers must stay
# below PostgreSQL's max_connections.
workers = _int("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1)
threads = _int("GUNICORN_THREADS", 1)

# A request taking longer than this is stuck: the worker is killed and replaced.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# For the gthread worker (sync workers close the connection after each response): longer
# than nginx's upstream keepalive_timeout (60 s), so nginx always closes an idle connection
# first and never sends a request on a connection gunicorn is closing.
keepalive = _int("GUNICORN_KEEPALIVE", 75)
# Recycle workers now and then, so a slow leak can never grow without bound.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 500)

# Only nginx may claim that the client spoke HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs: gunicorn's messages on stderr, one JSON line per request on stdout, personal
# links masked (config/logs.py). GUNICORN_ACCESSLOG=off switches the access log off;
# a path writes it to that file.
_accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
accesslog = None if _accesslog.lower() in ("", "off", "none") else _accesslog
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
logger_class = "config.logs.GunicornLogger"

# The workers' heartbeat files on a memory file system, so a slow disk cannot make the
# arbiter think a worker hangs (gunicorn creates them with mkstemp, so a shared directory
# is safe).
_SHM = "/dev/shm"  # noqa: S108
if os.path.isdir(_SHM):
    worker_tmp_dir = _SHM
