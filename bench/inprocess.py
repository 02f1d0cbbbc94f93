"""`make bench-inprocess`: the CPU of one request, in one process, without the load.

Under load a profile's samples pile up where a process waits to get a core back after each
database round trip, and CPU per request moves with the host. This measures the other
way: Django's test client in this process, production settings, the benchmark's own
PostgreSQL database and Redis, one request at a time. For each page it reports the SQL
statements, the CPU per request (best and median of five rounds) and the Python function
calls per request — the last does not depend on the host's speed, so it compares commits.
With ``--profile`` it also writes a cProfile summary (CPU time, cumulative) per page.

    python -m bench.inprocess [--rounds 5] [--requests 200] [--profile]

Pages: the event page rendered every time (the benchmark's event: a wijk, two themes,
parties of up to four and three questions), the home page rendered every time with ten
events, the event page from the page cache, and a refused sign-up POST to a full event.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path

from bench import stack
from bench.stack import ROOT


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.inprocess", description=__doc__)
    stack.add_database_options(parser, name="bijeen_bench_inprocess")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--profile", action="store_true", help="write cProfile summaries")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)

    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": args.database_url,
        "CACHE_URL": args.cache_url,
        "DJANGO_CACHE_KEY_PREFIX": f"bench-inprocess-{os.getpid()}",
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SITE_URL": "https://testserver",
        "DJANGO_RATELIMIT_ENABLE": "false",
        "EMAIL_URL": "consolemail://",
        "DJANGO_LOG_LEVEL": "ERROR",
    }
    static = tempfile.mkdtemp(prefix="bijeen-inprocess-")
    env["DJANGO_STATIC_ROOT"] = static
    full_env = {**os.environ, **env}
    stack.recreate_database(args.database_url)
    try:
        stack.manage("migrate", "--noinput", env=full_env)
        stack.manage("collectstatic", "--noinput", env=full_env)
        os.environ.update(env)
        result = measure(args)
    finally:
        stack.drop_database(args.database_url)
        shutil.rmtree(static, ignore_errors=True)
    print(json.dumps(result, indent=2))
    return 0


def measure(args: argparse.Namespace) -> dict:
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from bench import data
    from registrations import services

    topics = data.create_topics()
    event = data.create_event(slug="bijeenkomst", capacity=20000, topics=topics)
    data.set_upcoming_events(total=10, keep=event, topics=topics)
    full = data.create_event(slug="vol", capacity=1, topics=topics)
    services.register(event=full, name="Eerste", email="eerste@example.org")
    client = Client(enforce_csrf_checks=True)
    event_path = event.get_absolute_url()
    full_path = full.get_absolute_url()
    numbers = iter(range(10**9))
    fields = data.signup_fields(full)  # one person, an answer to each question

    def fresh() -> Client:
        client.cookies = SimpleCookie()
        return client

    def get(path: str):
        return lambda: fresh().get(path, secure=True)

    def refused_post():
        visitor = fresh()
        visitor.get(full_path, secure=True)
        number = next(numbers)
        body = {
            "csrfmiddlewaretoken": visitor.cookies[settings.CSRF_COOKIE_NAME].value,
            "name": f"Bewoner {number}",
            "email": f"bewoner{number}@example.org",
            "consent": "on",
            **fields,
        }
        cookies = visitor.cookies  # this visitor's own CSRF cookie, for their POST

        def post():
            client.cookies = cookies
            return client.post(
                full_path + "aanmelden/",
                body,
                secure=True,
                HTTP_REFERER=f"https://testserver{full_path}",
            )

        return post

    pages = {
        "event_page_rendered": (get(event_path + "?uncached"), 0),
        "home_page_rendered": (get("/?uncached"), 0),
        "event_page_cached": (get(event_path), 1),
        "refused_post": (None, 1),
    }
    result = {"rounds": args.rounds, "requests": args.requests, "pages": {}}
    for name, (call, cache_seconds) in pages.items():
        with override_settings(BIJEEN_PAGE_CACHE_SECONDS=cache_seconds):

            def one(call=call):
                # The POST's visitor first loads the page (not measured): a new one each time.
                return refused_post() if call is None else call

            one()()
            request = one()
            with CaptureQueriesContext(connection) as captured:
                response = request()
            statements = len(captured.captured_queries)
            if response.status_code not in (200, 409):
                raise RuntimeError(f"{name}: {response.status_code}")
            rounds = []
            for _ in range(args.rounds):
                requests = [one() for _ in range(args.requests)]
                started = time.process_time()
                for request in requests:
                    request()
                rounds.append((time.process_time() - started) / args.requests * 1000)
            profiler = cProfile.Profile(time.process_time)
            requests = [one() for _ in range(args.requests)]
            for request in requests:
                profiler.runcall(request)
            stats = pstats.Stats(profiler)
            result["pages"][name] = {
                "status": response.status_code,
                "sql_statements": statements,
                "cpu_ms_best": round(min(rounds), 2),
                "cpu_ms_median": round(statistics.median(rounds), 2),
                "python_calls": round(stats.total_calls / args.requests),
            }
            if args.profile:
                args.out.mkdir(parents=True, exist_ok=True)
                text = io.StringIO()
                pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(60)
                path = args.out / f"inprocess-{name}.txt"
                path.write_text(text.getvalue())
                result["pages"][name]["profile"] = str(path)
        print(f"bench: {name}: {result['pages'][name]}", file=sys.stderr, flush=True)
    return result


if __name__ == "__main__":
    sys.exit(main())
