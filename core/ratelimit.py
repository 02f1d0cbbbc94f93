"""A small rate limiter on Django's cache, for the public forms.

Fixed windows: each client address gets ``limit`` hits per ``window`` seconds and scope.
The counter lives in the ``default`` cache, so every app server shares it when the cache
is shared (Redis in production); the in-process default cache counts per process, which
is right for the embedded single-process set-up. Cache keys hold a keyed hash of the
address, never the address itself.

When the cache fails (Redis stopped or unreachable), the limits fail open: the request is
let through uncounted and a WARNING is logged (``core.cachehealth``). A form that answers
is worth more than a limit that holds: the limits only slow down abuse, and the sign-up
invariant does not depend on them.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.crypto import salted_hmac

from core import cachehealth

logger = logging.getLogger(__name__)

# Seconds a counter outlives its window, so a slow request still finds it.
_GRACE = 5


def client_address(request: HttpRequest) -> str:
    """The client's IP address as the rate limit sees it: the key of its bucket.

    Behind ``TRUSTED_PROXY_COUNT`` proxies (a load balancer), the address comes from
    ``X-Forwarded-For``: the entry that the outermost trusted proxy added. Anything further
    left was written by the client and cannot be trusted. IPv6 clients are counted per /64,
    the block one household or phone gets, so rotating addresses inside it does not help.
    An IPv4 client that a dual-stack server sees as ``::ffff:a.b.c.d`` is that IPv4
    address, not one /64 shared by every IPv4 client; a port some proxies add is dropped.

    An address that cannot be parsed (an empty ``REMOTE_ADDR``, a proxy that writes
    ``unknown``) gets a bucket of its own per value, ``unparsed:<value>``, which can never
    be a real address: one odd client cannot use up the limit of all the others. It is
    no way around the limit either, since only a trusted proxy or the server writes it.
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    ip = _parse(address)
    if ip is None:
        return f"unparsed:{address}"
    if ip.version == 6:
        return str(ipaddress.IPv6Address(int(ip) >> 64 << 64))  # the /64 block
    return str(ip)


def client_ip(request: HttpRequest) -> str | None:
    """``client_address`` for django-axes (``AXES_CLIENT_IP_CALLABLE``), so admin logins
    are throttled per client, never per load balancer. Axes stores it in an IP address
    column, so an unparseable address is None: such clients share one lockout per
    username, like the rate limit's per-value bucket for a proxy that writes ``unknown``.
    """
    address = client_address(request)
    return None if address.startswith("unparsed:") else address


def _parse(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """``address`` as an IP address (mapped IPv4 unwrapped, a port dropped), or None."""
    candidates = [address]
    if address.startswith("[") and "]" in address:  # [2001:db8::1]:443
        candidates.append(address[1 : address.index("]")])
    elif address.count(":") == 1:  # 192.0.2.1:51234
        candidates.append(address.split(":", 1)[0])
    for candidate in candidates:
        try:
            ip = ipaddress.ip_address(candidate)
        except ValueError:
            continue
        if ip.version == 6 and ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        return ip
    return None


def _cache_key(*, scope: str, key: str, window: int, now: float) -> str:
    digest = salted_hmac("core.ratelimit", key).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}:{int(now) // window}"


def hit(*, scope: str, key: str, limit: int, window: int, now: float | None = None) -> bool:
    """Count one request for ``key`` in ``scope``; return True when it is over ``limit``.

    Always False when ``RATELIMIT_ENABLE`` is off (a load test from one address).

    ``cache.add`` then ``cache.incr`` are atomic on Redis and memcached, so simultaneous
    requests on several app servers are all counted. False when the cache fails.
    """
    if not settings.RATELIMIT_ENABLE:
        return False
    cache_key = _cache_key(
        scope=scope, key=key, window=window, now=time.time() if now is None else now
    )
    try:
        count = _count(cache_key, timeout=window + _GRACE)
    except Exception as exc:  # any cache failure: fail open (see the module)
        cachehealth.cache_failed(logger, "rate limit", "requests are let through (fail open)", exc)
        return False
    return count > limit


def _count(cache_key: str, *, timeout: int) -> int:
    if cache.add(cache_key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add() and incr(): start a new count
        cache.add(cache_key, 1, timeout=timeout)
        return 1


def limit_posts(
    *,
    scope: str,
    setting: str,
    methods: tuple[str, ...] = ("POST",),
    template: str = "429.html",
) -> Callable:
    """View decorator: requests (POSTs by default) beyond ``<setting>_RATE_LIMIT`` per
    ``<setting>_RATE_WINDOW`` seconds from one client address get the friendly 429 page
    (``template``, rendered with the view's URL arguments as ``view_kwargs``), before any
    form is read."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            window = getattr(settings, f"{setting}_RATE_WINDOW")
            if request.method in methods and hit(
                scope=scope,
                key=client_address(request),
                limit=getattr(settings, f"{setting}_RATE_LIMIT"),
                window=window,
            ):
                response = render(request, template, {"view_kwargs": kwargs}, status=429)
                response["Retry-After"] = str(window)
                return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
