"""Production: refuses to start without a secret key, a database, a cache and the site's
address."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import configure_database, env, logging_config

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# No defaults: a missing variable stops the process with ImproperlyConfigured.
SECRET_KEY = env("DJANGO_SECRET_KEY")
DATABASES = {"default": configure_database(env.db("DATABASE_URL"))}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# The start of every link in mails and calendar files (the personal link above all):
# without it they would point at the development default, http://127.0.0.1:8000.
SITE_URL = env("DJANGO_SITE_URL").rstrip("/")
_site = urlsplit(SITE_URL)
if _site.scheme not in ("http", "https") or not _site.hostname:
    raise ImproperlyConfigured(
        f"DJANGO_SITE_URL must be the site's address, such as https://bijeen.example.org, "
        f"not {SITE_URL!r}"
    )

# A cache every app server shares (CACHE_URL=redis://…): the rate limits count across
# servers and sessions can be cached. Required, so that a second app server can never
# silently run on a cache of its own; one server alone may say CACHE_URL=locmemcache://.
CACHES = {"default": env.cache("CACHE_URL")}
CACHES["default"]["KEY_PREFIX"] = env("DJANGO_CACHE_KEY_PREFIX", default="bijeen")
# The site works without the cache (core/cachehealth.py), but only if a hung or unreachable
# Redis fails fast: without socket timeouts a cache call waits for ever (redis-py before 6)
# or 5 s to connect plus 5 s to read (redis-py 8), a worker held that long per request.
# Seconds; passed to redis-py's connection pool.
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Django's backend with one client per server and process (core/rediscache.py).
    CACHES["default"]["BACKEND"] = "core.rediscache.RedisCache"
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {
            "socket_connect_timeout": env.float("DJANGO_CACHE_CONNECT_TIMEOUT", default=0.25),
            "socket_timeout": env.float("DJANGO_CACHE_TIMEOUT", default=0.5),
        }
    )
# Sessions (only staff in the admin have one) live in PostgreSQL alone, so any app server
# can answer any request. Not cached_db: Django's cached_db raises when the cache is down
# (staff could not log in or out), and a logout during an outage would leave the session in
# Redis, to come back with it. One indexed query per staff request is cheap.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# One JSON object per log line for the log collector; DJANGO_LOG_FORMAT=text to read by eye.
LOGGING = logging_config(
    fmt=env("DJANGO_LOG_FORMAT", default="json"), level=env("DJANGO_LOG_LEVEL", default="INFO")
)

SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Load-balancer probes speak plain HTTP to the app server; they must not be redirected.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# The "preload" directive only allows submission to browser preload lists; it submits nothing.
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CONSENT_COOKIE_SECURE = True
