"""The visitor's choice as their browser remembers it: the consent cookie.

The cookie holds the version of the category list, when the choice was made, the random
receipt of its server-side record (``ConsentRecord``) and one yes/no per category, e.g.
``1|1764495000|3f2a…|statistieken:1|externe-media:0``. Anything unexpected, an older
version, or a choice older than a year counts as no choice: the visitor is asked again.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

from consent import categories
from consent.categories import Category

RECEIPT = re.compile(r"[0-9a-f]{32}")
# A little slack for clocks that run ahead; a choice "from the future" beyond it is bogus.
CLOCK_SKEW = datetime.timedelta(minutes=5)


@dataclass(frozen=True)
class Consent:
    version: int
    given_at: datetime.datetime
    receipt: str
    choices: Mapping[str, bool] = field(default_factory=dict)

    def allows(self, key: str) -> bool:
        return self.choices.get(key, False)

    def covers(self, keys: list[str]) -> bool:
        """Whether this choice says yes or no to each of ``keys``."""
        return all(key in self.choices for key in keys)


def serialise(consent: Consent) -> str:
    parts = [str(consent.version), str(int(consent.given_at.timestamp())), consent.receipt]
    parts += [f"{key}:{int(allowed)}" for key, allowed in consent.choices.items()]
    return "|".join(parts)


def parse(value: str, *, now: datetime.datetime | None = None) -> Consent | None:
    """The choice in a cookie value, or None if it is malformed, outdated or expired."""
    now = now or timezone.now()
    parts = value.split("|")
    if len(parts) < 3:
        return None
    version, timestamp, receipt, *pairs = parts
    if version != str(categories.VERSION) or not timestamp.isdigit():
        return None
    if not RECEIPT.fullmatch(receipt):
        return None
    try:
        given_at = datetime.datetime.fromtimestamp(int(timestamp), tz=datetime.UTC)
    except (OverflowError, ValueError, OSError):
        return None
    max_age = datetime.timedelta(seconds=settings.CONSENT_COOKIE_AGE)
    if not now - max_age < given_at <= now + CLOCK_SKEW:
        return None
    known = {category.key for category in categories.all_categories() if not category.required}
    choices = {}
    for pair in pairs:
        key, _, allowed = pair.partition(":")
        if allowed not in ("0", "1"):
            return None
        if key in known:  # a category since removed from the code no longer matters
            choices[key] = allowed == "1"
    return Consent(categories.VERSION, given_at, receipt, choices)


def get_consent(request: HttpRequest) -> Consent | None:
    """The visitor's current, valid choice (read once per request), or None."""
    if not hasattr(request, "_consent"):
        value = request.COOKIES.get(settings.CONSENT_COOKIE_NAME, "")
        request._consent = parse(value) if value else None
    return request._consent


def needs_choice(request: HttpRequest) -> bool:
    """True until the visitor chose about every category this site uses (so: show the banner)."""
    optional = [category.key for category in categories.optional_categories()]
    if not optional:
        return False
    consent = get_consent(request)
    return consent is None or not consent.covers(optional)


def _allowed(consent: Consent | None, key: str) -> bool:
    active = {category.key for category in categories.optional_categories()}
    return consent is not None and key in active and consent.allows(key)


def allows(request: HttpRequest, key: str) -> bool:
    """Whether the category ``key`` is in use here and the visitor allowed it."""
    return _allowed(get_consent(request), key)


def set_consent_cookie(response: HttpResponseBase, consent: Consent) -> None:
    response.set_cookie(
        settings.CONSENT_COOKIE_NAME,
        serialise(consent),
        max_age=settings.CONSENT_COOKIE_AGE,
        secure=settings.CONSENT_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _deletable(category: Category, name: str) -> bool:
    return any(name.startswith(prefix) for prefix in category.delete_prefixes)


def delete_cookies_without_consent(
    request: HttpRequest, response: HttpResponseBase, consent: Consent | None
) -> list[str]:
    """Expire every first-party cookie of a category the visitor has not allowed.

    Covers withdrawal, an expired or outdated choice, and a category switched off since.
    Returns the names it deleted.
    """
    deleted = []
    for category in categories.all_categories():
        if category.required or _allowed(consent, category.key):
            continue
        for name in request.COOKIES:
            if _deletable(category, name):
                # Matomo sets its cookies on this host for path "/", without a domain.
                response.delete_cookie(name, path="/", samesite="Lax")
                deleted.append(name)
    return deleted
