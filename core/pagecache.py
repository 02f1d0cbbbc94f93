"""A cache of one second for the public pages that every visitor sees alike.

When a popular event opens, hundreds of residents load the same event page in the same
second. Rendering it costs several milliseconds of CPU, most of it in the sign-up and
reaction blocks (the profile in docs/performance.md); serving it from the shared cache
costs a fraction of that. What is cached, and why that is safe:

- Only a GET or HEAD by a visitor without a session (staff in the admin have one), without
  a cookie choice (the page differs by that choice: the banner, the map, the statistics
  code, so a page rendered for someone who allowed the map must never reach someone who
  did not), and without a query string (``?reactie=…``, ``?page=2``), and only a 200.
- For at most ``BIJEEN_PAGE_CACHE_SECONDS`` (default 1; 0 switches it off). The seats
  left or the full notice may be that much behind. Nothing is decided on them: a sign-up
  is a POST, never cached, and ``registrations.services.register()`` decides under the
  event's row lock.
- The CSRF token is never cached. The page is stored with a placeholder where the forms'
  token goes, and each response gets the visitor's own token and cookie, exactly as an
  uncached render would.
- The key is the host and the path; the path carries the language (``/en/…``).

The cache is Django's default cache: Redis in production, shared by every app server.
If it fails (a read or a write), the page is rendered as if there were no cache, and a
WARNING is logged at most once a minute (``core.cachehealth``).
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.response import SimpleTemplateResponse
from django.utils import translation

from core import cachehealth

logger = logging.getLogger(__name__)

# Rendered where {% csrf_token %} puts the token; never a real token (those are 64
# letters and digits), so it cannot collide with one.
PLACEHOLDER = "csrf-placeholder-f3b9c2"


def _cacheable(request: HttpRequest) -> bool:
    return (
        settings.BIJEEN_PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and settings.CONSENT_COOKIE_NAME not in request.COOKIES
    )


def _key(request: HttpRequest) -> str:
    digest = hashlib.sha256(f"{request.get_host()}{request.path}".encode()).hexdigest()
    return f"page:{digest}"


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve ``view``'s anonymous answer from the cache for a second (see the module)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        try:
            entry = cache.get(key)
        except Exception as exc:
            cachehealth.cache_failed(logger, "page cache", "pages are rendered", exc)
            return view(request, *args, **kwargs)
        if entry is None:
            response = view(request, *args, **kwargs)
            if not isinstance(response, SimpleTemplateResponse) or response.status_code != 200:
                return response
            response.context_data = {**(response.context_data or {}), "csrf_token": PLACEHOLDER}
            response.render()
            if response.cookies:  # never store anything personal
                return _with_token(response, request)
            entry = (response.content, response["Content-Type"])
            try:
                cache.set(key, entry, timeout=settings.BIJEEN_PAGE_CACHE_SECONDS)
            except Exception as exc:
                cachehealth.cache_failed(logger, "page cache", "pages are rendered", exc)
        content, content_type = entry
        return _with_token(HttpResponse(content, content_type=content_type), request)

    return wrapper


def shared_refusal(
    request: HttpRequest, notice: str, render: Callable[[str | None], HttpResponse]
) -> HttpResponse:
    """A refused sign-up whose page shows ``notice`` (the full notice, or why sign-up is
    closed) in place of the form: the same for every anonymous resident, so shared for a
    second like the event page, under its own key (the request's path and the notice).

    In a rush most attempts end here; re-rendering the whole event page for each was the
    most expensive answer for the most common case (docs/performance.md). Safe because:

    - The caller passes a ``notice`` only when the page it renders has no form in it: no
      input and no errors of the resident, nothing personal. The entry is stored from
      such a render only, under a key that includes the notice, so an entry never shows
      a form, and a page that says "full" is never served for "closed" or the reverse.
    - Only without a query string and with no cookie but the CSRF cookie (no session, no
      cookie choice, no messages): the page would differ by those.
    - The CSRF token is never cached: each answer gets the resident's own, as below.
    - The status stays the caller's (409); a failing cache renders as if there were none.

    ``render(csrf_token)`` renders the page; ``csrf_token`` is the placeholder to store it
    with, or None for a page that is not stored.
    """
    if (
        settings.BIJEEN_PAGE_CACHE_SECONDS <= 0
        or request.META.get("QUERY_STRING")
        or any(name != settings.CSRF_COOKIE_NAME for name in request.COOKIES)
    ):
        return render(None)
    language = translation.get_language() or ""
    raw = f"{request.get_host()}{request.path}\n{language}\n{notice}"
    key = f"refusal:{hashlib.sha256(raw.encode()).hexdigest()}"
    try:
        entry = cache.get(key)
    except Exception as exc:
        cachehealth.cache_failed(logger, "page cache", "pages are rendered", exc)
        return render(None)
    if entry is None:
        response = render(PLACEHOLDER)
        if response.cookies:  # never store anything personal
            return _with_token(response, request)
        entry = (response.content, response["Content-Type"], response.status_code)
        try:
            cache.set(key, entry, timeout=settings.BIJEEN_PAGE_CACHE_SECONDS)
        except Exception as exc:
            cachehealth.cache_failed(logger, "page cache", "pages are rendered", exc)
    content, content_type, status = entry
    return _with_token(HttpResponse(content, content_type=content_type, status=status), request)


def _with_token(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    """Put this visitor's CSRF token where the placeholder is (and so set their cookie)."""
    placeholder = PLACEHOLDER.encode()
    if placeholder in response.content:
        response.content = response.content.replace(placeholder, get_token(request).encode())
    return response
