"""How many examples a property test draws.

The whole suite (``make test``, CI) draws the full number. ``make test-quick`` sets
``BIJEEN_TEST_TIER=quick`` and draws a sixth (at least 20): every property still runs,
the inner loop stays under a minute.
"""

import os

QUICK = os.environ.get("BIJEEN_TEST_TIER") == "quick"


def examples(full: int) -> int:
    return max(20, full // 6) if QUICK else full
