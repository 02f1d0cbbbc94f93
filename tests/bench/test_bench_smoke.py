"""`make bench` keeps working: the benchmark script in its smoke size, end to end.

It starts its own nginx, two gunicorn app servers and a database of its own, so it needs
Debian's nginx, wrk and openssl and Redis on 127.0.0.1:6379: missing ones are a skip on a
developer's machine and a failure in CI (.ci/run installs them).
"""

import json
import os
import subprocess
import sys

import pytest
from django.db import connection

from bench import stack
from tests.servers import ROOT
from tests.tools import missing_tool

pytestmark = pytest.mark.bench

REQUIRED_KEYS = {
    "baseline_rps",
    "event_page_rps",
    "home_page_rps",
    "rush",
    "growth",
    "targets",
    "target_figures",
}
RUSH_KEYS = {
    "seats",
    "attempts",
    "confirmed",
    "confirmed_persons",
    "confirmed_registrations",
    "confirmed_counter",
    "errors_5xx",
    "attempts_per_s",
    "p50_ms",
    "p99_ms",
    "cpu_ms",
    "cpu_vs_baseline",
    "postgres_backends_exited",
}
# Issue 17's targets: True or False, the rush's p99 also None (not judged on a busy machine).
TARGET_KEYS = {
    "rush_exact",
    "rush_no_5xx",
    "rush_cpu",
    "rush_p99",
    "event_page_rendered_cpu",
    "event_page_ratio",
    "home_page_ratio",
    "growth_queries_constant",
}


@pytest.fixture
def tools_or_skip():
    missing = [name for name in stack.TOOLS if not stack.find_tool(name)]
    try:
        stack.check_redis("redis://127.0.0.1:6379/0")
    except stack.BenchError:
        missing.append("redis-server (running)")
    if missing:
        missing_tool(f"the benchmark needs {', '.join(missing)}")


def test_the_smoke_benchmark_fills_exactly_the_seats_without_errors(tools_or_skip, tmp_path):
    db = connection.settings_dict
    base = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/postgres"
    # Named after this test run's database, so parallel runs on one machine never collide.
    database_url = stack.database_url(base, f"{db['NAME']}_bench")
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "bench.run",
            "--smoke",
            "--no-install",
            "--out",
            str(tmp_path),
            "--database-url",
            database_url,
        ],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:] + result.stdout[-3000:]
    assert "| sign-up rush" in result.stdout  # the table is printed

    [report] = tmp_path.glob("*-smoke.json")
    data = json.loads(report.read_text())
    assert data.keys() >= REQUIRED_KEYS
    assert data["rush"].keys() >= RUSH_KEYS
    assert data["growth"].keys() == {"event_page", "home_page", "filtered_list"}
    for page, steps in data["growth"].items():
        assert len(steps) >= 2, page
        for step in steps.values():
            assert {"queries", "p50_ms"} <= step.keys()
    # The growth data is shaped like real sign-ups: parties and answers.
    largest = list(data["growth"]["event_page"].values())[-1]
    assert largest["persons"] > largest["registrations"] > 0
    assert largest["answers"] == 3 * largest["registrations"]
    assert all(step["matching"] >= 1 for step in data["growth"]["filtered_list"].values())
    assert data["commit"] and data["machine"]["nproc"] >= 1
    rush = data["rush"]
    # Exactly the seats, counted in persons: one each in the rush.
    assert rush["confirmed_persons"] == rush["seats"] == rush["confirmed_counter"]
    assert rush["confirmed_registrations"] == rush["seats"]
    assert "party_size" in rush["fields_posted"]
    assert data["rush"]["errors_5xx"] == 0
    assert data["rush"]["errors_other"] == 0
    assert data["app_errors_5xx"] == 0
    for scenario in ("baseline", "event_page", "home_page"):
        assert data[scenario]["non_2xx_3xx"] == 0, data[scenario]
        assert data[scenario]["rps"] > 0
    for scenario in ("baseline", "event_page", "home_page", "event_page_rendered", "rush"):
        cpu = data[scenario]["cpu_ms"]
        assert cpu["total"] > 0 and cpu["postgres"] >= 0, cpu
        assert data[scenario]["cpu_vs_baseline"] > 0
    assert data["baseline"]["cpu_vs_baseline"] == 1.0
    assert data["targets"].keys() == TARGET_KEYS
    assert data["targets"]["growth_queries_constant"]
    assert data["targets"]["rush_exact"] and data["targets"]["rush_no_5xx"]
    assert data["target_figures"]["rush_cpu"]["scaled_ms"] > 0
    assert report.with_suffix(".md").read_text().startswith("## Bijeen benchmark")


def test_the_production_nginx_example_is_valid_and_masks_personal_links(tools_or_skip, tmp_path):
    """deploy/nginx.conf.example passes `nginx -t` (with stand-in certificate and paths)."""
    stack.make_certificate(openssl=stack.find_tool("openssl"), workdir=tmp_path)
    example = (ROOT / "deploy" / "nginx.conf.example").read_text()
    assert "$lang/aanmelding/***$rest" in example
    site = (
        example.replace("/etc/letsencrypt/live/bijeen.example.org/fullchain.pem", "cert.pem")
        .replace("/etc/letsencrypt/live/bijeen.example.org/privkey.pem", "key.pem")
        .replace("/var/log/nginx/bijeen.access.log", str(tmp_path / "access.log"))
    )
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log;\n"
        f"events {{}}\nhttp {{ include {tmp_path}/site.conf; }}\n"
    )
    result = subprocess.run(  # noqa: S603
        [stack.find_tool("nginx"), "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
