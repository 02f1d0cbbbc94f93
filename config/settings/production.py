"""Production: refuses to start without a secret key and a database URL."""

from .base import *  # noqa: F403
from .base import configure_database, env

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# No defaults: a missing variable stops the process with ImproperlyConfigured.
SECRET_KEY = env("DJANGO_SECRET_KEY")
DATABASES = {"default": configure_database(env.db("DATABASE_URL"))}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")

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
