"""`make bench-inprocess` in tiny sizes: it runs, and reports what it promises."""

import json
import os
import subprocess
import sys

import pytest

from bench.stack import ROOT, BenchError, check_redis, database_url
from tests.tools import missing_tool

pytestmark = pytest.mark.bench
CACHE_URL = "redis://127.0.0.1:6379/0"


def test_the_in_process_measurement_runs_and_reports_every_page():
    try:
        check_redis(CACHE_URL)
    except BenchError as exc:
        missing_tool(f"no Redis for the in-process measurement: {exc}")
    database = database_url(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bijeen"),
        "bijeen_bench_inprocess_" + os.environ.get("BIJEEN_TEST_RUN_ID", str(os.getpid())),
    )
    result = subprocess.run(
        [sys.executable, "-m", "bench.inprocess", "--rounds", "1", "--requests", "3"],
        cwd=ROOT,
        env={**os.environ, "BENCH_DATABASE_URL": database, "BENCH_CACHE_URL": CACHE_URL},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    pages = json.loads(result.stdout)["pages"]
    assert set(pages) == {
        "event_page_rendered",
        "home_page_rendered",
        "event_page_cached",
        "refused_post",
    }
    assert pages["refused_post"]["status"] == 409
    assert pages["event_page_cached"]["sql_statements"] == 0
    assert pages["event_page_rendered"]["sql_statements"] > 0
    for page in pages.values():
        assert page["cpu_ms_best"] > 0
        assert page["python_calls"] > 1000
