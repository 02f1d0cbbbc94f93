"""What a test does when a tool it needs (Chromium, nginx, wrk, Redis, PostgreSQL's
binaries) is missing: skip on a developer's machine, fail in CI.

One switch: ``CI=true`` (CI sets it; ``.ci/run`` exports it too).
"""

import os

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def missing_tool(message: str) -> None:
    """Fail with ``message`` in CI, skip with it elsewhere (never returns)."""
    if in_ci():
        pytest.fail(f"{message} (CI=true: a missing tool is a failure; .ci/run installs it)")
    pytest.skip(message)
