"""Log lines without personal data, and in production one JSON object per line.

A resident's personal link (``/aanmelding/<token>/``) is a secret: whoever holds it can see
and cancel the registration. It turns up in request paths (access logs, Django's "Not
Found: …" warnings) and in ``Referer`` headers, so every log line passes ``mask_tokens``.

- ``MaskTokensFilter`` masks Django's own log records (``LOGGING`` in the settings).
- ``DropRefusalsFilter`` keeps Django's warning about a 409 (a refusal by the rules) out.
- ``JsonFormatter`` writes a record as one JSON line (production's ``DJANGO_LOG_FORMAT``).
- ``GunicornLogger`` is gunicorn's logger with a JSON access line per request, the path
  masked, no client address and no referrer (``config/gunicorn.py`` uses it).
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import re

from gunicorn import glogging

# The token is URL-safe base64; anything up to the next path separator is masked, so a
# malformed or percent-encoded token is masked too.
TOKEN_PATH = re.compile(r"(/aanmelding/)[^/?#\s\"'<>]+")
EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
MASK = "***"


def mask_tokens(text: str) -> str:
    """``/aanmelding/<token>/afmelden/`` becomes ``/aanmelding/***/afmelden/``, and an
    e-mail address ``anna@example.org`` becomes ``a***@example.org``."""
    text = EMAIL.sub(rf"\1{MASK}@\2", text)
    return TOKEN_PATH.sub(rf"\g<1>{MASK}", text)


def _now() -> str:
    return datetime.datetime.now(tz=datetime.UTC).isoformat(timespec="milliseconds")


class MaskTokensFilter(logging.Filter):
    """Rewrite a record's message with personal links masked (it never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_tokens(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class DropRefusalsFilter(logging.Filter):
    """Drop Django's "Conflict: …" warning for a 409. Every 409 here is a refusal by the
    rules that the person gets told about (a full or closed event, already registered, a
    party that does not fit, a cancellation or reaction refused, a desk sign-up or status
    change staff must confirm), not a problem for the operator; in a sign-up rush it was
    one warning line per refused attempt. gunicorn's access log (on by default) still has
    every 409 with its path."""

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "status_code", None) != 409


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, and the exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": _now(),
            "level": record.levelname,
            "logger": record.name,
            "message": mask_tokens(record.getMessage()),
        }
        status = getattr(record, "status_code", None)  # django.request adds it
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = mask_tokens(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


class GunicornLogger(glogging.Logger):
    """Gunicorn's logger, writing JSON lines: one per request in the access log.

    The access line holds what an operator needs to follow a request (method, masked path,
    status, bytes, duration, the load balancer's ``X-Request-ID``) and nothing that
    identifies a resident: no client address, no referrer, no query string beyond the
    masked one.
    """

    def setup(self, cfg) -> None:
        super().setup(cfg)
        # Gunicorn's own messages (boot, worker exits) as JSON too, so one parser reads all.
        formatter = JsonFormatter()
        for handler in self.error_log.handlers:
            handler.setFormatter(formatter)
            handler.addFilter(MaskTokensFilter())

    def access(self, resp, req, environ: dict, request_time: datetime.timedelta) -> None:
        if not self.access_log_enabled:
            return
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        entry = {
            "time": _now(),
            "type": "access",
            "method": environ.get("REQUEST_METHOD"),
            "path": mask_tokens(environ.get("PATH_INFO", "")),
            "query": mask_tokens(environ.get("QUERY_STRING", "")),
            "status": int(status),
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 2),
            "request_id": environ.get("HTTP_X_REQUEST_ID"),
            "user_agent": environ.get("HTTP_USER_AGENT"),
            "pid": os.getpid(),
        }
        try:
            self.access_log.info(json.dumps(entry, ensure_ascii=False))
        except Exception:
            self.exception("could not write the access log line")
