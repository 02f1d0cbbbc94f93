"""The Redis drill (scripts/drills/redis_outage.py) at a tiny size, so CI proves the script
still runs and its invariants still hold: Redis stopped, restarted and hung (SIGSTOP) for
longer than gunicorn's worker timeout during a stream of sign-ups. The full drill:
`make drills`; its control experiment (`--without-timeouts`) is in docs/drills.md."""

import shutil
import subprocess
import sys

import pytest

from scripts.drills.common import DrillError, postgres_bindir
from tests.servers import ROOT
from tests.tools import missing_tool

pytestmark = pytest.mark.drill


def test_redis_stopped_and_hung_costs_no_sign_up_and_no_worker():
    if not shutil.which("redis-server"):
        missing_tool("redis-server is not installed (apt-get install redis-server)")
    try:
        postgres_bindir()
    except DrillError as exc:
        missing_tool(str(exc))

    drill = subprocess.run(
        [
            sys.executable,
            "-m",
            "scripts.drills.redis_outage",
            "--clients=2",
            "--before=2",
            "--down=2",
            "--between=2",
            "--hang=6",
            "--worker-timeout=4",
            "--after=4",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    print(drill.stdout)
    assert drill.returncode == 0, drill.stdout + drill.stderr
    assert drill.stdout.rstrip().endswith("PASS")
