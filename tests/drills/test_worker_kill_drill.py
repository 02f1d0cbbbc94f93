"""The worker-kill drill (scripts/drills/worker_kill.py) at a tiny size, so CI proves the
script still runs and its invariants still hold. The full drills: `make drills`."""

import subprocess
import sys

import pytest

from scripts.drills.common import DrillError, postgres_bindir
from tests.servers import ROOT
from tests.tools import missing_tool

pytestmark = pytest.mark.drill


def test_killing_gunicorn_workers_mid_sign_up_loses_and_half_writes_nothing():
    try:
        postgres_bindir()
    except DrillError as exc:
        missing_tool(str(exc))

    drill = subprocess.run(
        [
            sys.executable,
            "-m",
            "scripts.drills.worker_kill",
            "--attempts=16",
            "--clients=3",
            "--kills=2",
            "--final=2",
            "--commit-delay=0.2",
            "--seed=8",
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
