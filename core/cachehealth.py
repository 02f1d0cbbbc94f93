"""When the shared cache (Redis) fails, the site carries on without it.

The cache only ever holds what can be lost (docs/deploy.md#redis), so no request fails
because of it. What each part does when a cache call raises (Redis stopped: at once;
Redis hung or unreachable: after the socket timeouts of the production settings):

- the rate limits (``core.ratelimit``) fail open: the request is let through, uncounted;
- the page cache (``core.pagecache``) renders the page as if there were no cache, and
  does not store it;
- sessions (staff only) live in the database (``SESSION_ENGINE`` ``db``), not in the
  cache, so they neither fail nor go stale.

Each failure is logged as a WARNING, but a dead Redis would otherwise write one line per
request: this module lets one line per part through every ``WARN_INTERVAL`` seconds per
process, and that line says how many failures it stands for.
"""

from __future__ import annotations

import logging
import threading
import time

WARN_INTERVAL = 60.0

# Replaced in tests; a monotonic clock, so a changed wall clock neither floods nor mutes.
_clock = time.monotonic
_lock = threading.Lock()
# (logger name, part) -> (when the last line was written, failures left out since)
_last: dict[tuple[str, str], tuple[float, int]] = {}


def cache_failed(logger: logging.Logger, part: str, consequence: str, exc: BaseException) -> None:
    """Log that ``part`` met a failing cache and what it did instead (``consequence``),
    at most once per ``WARN_INTERVAL`` seconds per part and process."""
    now = _clock()
    key = (logger.name, part)
    with _lock:
        last = _last.get(key)
        if last is not None and now - last[0] < WARN_INTERVAL:
            _last[key] = (last[0], last[1] + 1)
            return
        left_out = last[1] if last is not None else 0
        _last[key] = (now, 0)
    more = f" ({left_out} more since the last warning)" if left_out else ""
    logger.warning(
        "%s: cache unavailable, %s%s: %s: %s",
        part,
        consequence,
        more,
        type(exc).__name__,
        exc,
        exc_info=exc,
    )


def reset() -> None:
    """Forget what was logged (for tests)."""
    with _lock:
        _last.clear()
