"""Hypothesis for the property tests: no example database, nothing written into the repo.

Hypothesis keeps caches (its Unicode tables, constants it found in our code) in a storage
directory that defaults to ``.hypothesis/`` in the working directory, even when the example
database is off. Both go to the system's temporary directory instead.
"""

from __future__ import annotations

import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest
from django.core.cache import caches
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "bijeen-hypothesis")

# database=None: failing examples are not saved between runs. A failure prints the
# falsifying example and a @reproduce_failure line, which is what a fix needs.
settings.register_profile(
    "bijeen",
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile("bijeen")

# How many examples each property really ran (a cap is not a count), for the summary.
EXAMPLES: Counter[str] = Counter()
OUTCOMES: dict[str, Counter[str]] = {}
SECONDS: dict[str, float] = {}


def ran_example(name: str) -> None:
    """Count one example of the property ``name`` and start it with empty caches.

    Rate-limit counters live in the cache. pytest's ``empty_cache`` fixture clears it per
    test function, but Hypothesis runs all examples inside one function, so without this
    the 11th reaction would get a 429 and nothing after it would reach the form.
    """
    EXAMPLES[name] += 1
    for cache in caches.all():
        cache.clear()


def outcome(name: str, what: str) -> None:
    """Tally what an example of ``name`` led to (e.g. "stored", "422"), for the summary:
    it shows that the strategies reach both the valid and the invalid side."""
    OUTCOMES.setdefault(name, Counter())[what] += 1


@pytest.fixture(autouse=True)
def _timed(request):
    started = time.monotonic()
    yield
    SECONDS[request.node.name] = time.monotonic() - started


def pytest_terminal_summary(terminalreporter) -> None:
    if not EXAMPLES:
        return
    terminalreporter.section("hypothesis examples per property")
    for name, count in sorted(EXAMPLES.items()):
        seconds = SECONDS.get(name, 0.0)
        terminalreporter.write_line(f"{name}: {count} examples in {seconds:.1f} s")
        tally = OUTCOMES.get(name)
        if tally:
            outcomes = ", ".join(f"{what} {n}" for what, n in sorted(tally.items()))
            terminalreporter.write_line(f"    {outcomes}")
    total = sum(SECONDS.get(name, 0.0) for name in EXAMPLES)
    terminalreporter.write_line(f"total: {sum(EXAMPLES.values())} examples in {total:.1f} s")
