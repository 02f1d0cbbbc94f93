"""Settings shared by every environment.

Every value that differs between machines comes from an environment variable (read
with django-environ) with a safe development default. ``production.py`` removes the
defaults that must never reach a server.
"""

import datetime
from email.utils import formataddr, parseaddr
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A .env file is a convenience for local development; real deployments set variables.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-development-key-do-not-use-in-production")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "csp",
    "axes",
    # Two-factor authentication for staff (TOTP); the pages are in backoffice.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    # The public JSON API's OpenAPI document (the api app). Django REST framework itself
    # is not an installed app: the API uses no template or model of it, and installed, its
    # Dutch catalogue would override Django's own form messages ("Dit veld is vereist."
    # for "Dit veld is verplicht.").
    "drf_spectacular",
    # Cross-cutting web code; imports no other Bijeen app.
    "core",
    "events",
    "registrations",
    "reactions",
    "pages",
    "consent",
    "api",
    "privacy",
    # Last: assembles the admin and the staff role from what the apps above export.
    "backoffice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # With i18n_patterns(prefix_default_language=False) the language comes from the URL:
    # Dutch without a prefix, English under /en/.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff sessions: a code after the password, at most 8 hours, 30 minutes idle.
    "backoffice.twofactor.StaffSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.csp.PolicyAdditionsMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    # Deletes cookies of categories the visitor has not allowed, on every response.
    "consent.middleware.ConsentMiddleware",
    # Last, as django-axes asks: throttles failed logins to the admin.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # The organisation (name, contacts, logo) and its house style.
                "core.context_processors.site",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------
# Embedded default: a SQLite file. Production: DATABASE_URL=postgres://...
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Services own their transactions (registrations.services); requests are not atomic.
DATABASES["default"]["ATOMIC_REQUESTS"] = False


def configure_database(db: dict) -> dict:
    """Add the per-engine options the sign-up invariant relies on."""
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE makes every transaction take SQLite's write lock at BEGIN, so two
        # sign-ups can never both read "one seat left": writers queue up (for up to
        # `timeout` seconds) instead of failing with "database is locked".
        db.setdefault("OPTIONS", {}).update(
            {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            }
        )
    else:
        db["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
        db["CONN_HEALTH_CHECKS"] = True
    return db


configure_database(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and e-mail ---------------------------------------------------------------
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# Lets several sites (or a benchmark) share one Redis without seeing each other's keys.
CACHES["default"]["KEY_PREFIX"] = env("DJANGO_CACHE_KEY_PREFIX", default="bijeen")
vars().update(env.email("EMAIL_URL", default="consolemail://"))
# A bare address gets the organisation's name as display name (below); "Name <address>"
# is used as written.
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="noreply@example.org")
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=20)
# The public base URL that links in e-mails and calendar files point to.
SITE_URL = env("DJANGO_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Background tasks (the mail outbox) -----------------------------------------------
# django-tasks with its database backend: a task row is written in the same transaction
# as the registration it is about, and `manage.py db_worker` delivers it later.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A failed delivery is retried after RETRY_SECONDS * 2**(attempt - 1), capped at one hour.
BIJEEN_MAIL_MAX_ATTEMPTS = env.int("BIJEEN_MAIL_MAX_ATTEMPTS", default=12)
BIJEEN_MAIL_RETRY_SECONDS = env.float("BIJEEN_MAIL_RETRY_SECONDS", default=30)

# --- Rate limits on public forms (core/ratelimit.py) -----------------------------------
# How many proxies (load balancers) in front of the app servers add themselves to
# X-Forwarded-For. 0: the client address is REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
# Off only for a load test from one address (make bench); never in production.
RATELIMIT_ENABLE = env.bool("DJANGO_RATELIMIT_ENABLE", default=True)
# Posts per client address per window (seconds), per form.
REACTIONS_RATE_LIMIT = env.int("DJANGO_REACTIONS_RATE_LIMIT", default=10)
REACTIONS_RATE_WINDOW = env.int("DJANGO_REACTIONS_RATE_WINDOW", default=600)
SIGNUP_RATE_LIMIT = env.int("DJANGO_SIGNUP_RATE_LIMIT", default=20)
SIGNUP_RATE_WINDOW = env.int("DJANGO_SIGNUP_RATE_WINDOW", default=600)
SELF_SERVICE_RATE_LIMIT = env.int("DJANGO_SELF_SERVICE_RATE_LIMIT", default=30)
SELF_SERVICE_RATE_WINDOW = env.int("DJANGO_SELF_SERVICE_RATE_WINDOW", default=600)
CONSENT_RATE_LIMIT = env.int("DJANGO_CONSENT_RATE_LIMIT", default=60)
CONSENT_RATE_WINDOW = env.int("DJANGO_CONSENT_RATE_WINDOW", default=600)
# Requests to the public API (/api/v1/) per client address per window (seconds).
API_RATE_LIMIT = env.int("DJANGO_API_RATE_LIMIT", default=300)
API_RATE_WINDOW = env.int("DJANGO_API_RATE_WINDOW", default=300)

# --- The organisation, open data and the embed -----------------------------------------
# The municipality that organises the events: the organizer in each event's schema.org
# data, and the site's name in link previews.
BIJEEN_ORGANISATION_NAME = env("BIJEEN_ORGANISATION_NAME", default="Gemeente Voorbeeldstad")
# Origins (https://www.voorbeeldstad.nl) whose pages may show /embed/ in a frame (its
# Content-Security-Policy frame-ancestors). Empty: nobody may. Every other page refuses
# to be framed anywhere.
EMBED_ALLOWED_ORIGINS = env.list("DJANGO_EMBED_ALLOWED_ORIGINS", default=[])

# The public API (the api app; docs/open-data.md): JSON only, anonymous, read-only.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ApiRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Bijeen API",
    "DESCRIPTION": "The published events of the municipality, read-only. No personal data.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Privacy --------------------------------------------------------------------------------
# Days after an event ends before `manage.py purge_personal_data` anonymises its
# registrations and reactions (the counts stay for statistics).
BIJEEN_RETENTION_DAYS = env.int("BIJEEN_RETENTION_DAYS", default=30)

# --- The organisation's own details and house style (docs/make-it-yours.md) ---------------
# Settings, not admin fields: the controller named in the privacy statement and the
# colours the contrast check approves are the operator's to set (docs/decisions/0019).
# The defaults are a fictional municipality; `manage.py check --deploy` warns while any
# of them is still the example (core/checks.py).
# BIJEEN_ORGANISATION_NAME (above) is the organisation's name everywhere.
BIJEEN_ORGANISATION_WEBSITE = env("BIJEEN_ORGANISATION_WEBSITE", default="https://www.example.org")
BIJEEN_ORGANISATION_PHONE = env("BIJEEN_ORGANISATION_PHONE", default="0123 456 789")
BIJEEN_ORGANISATION_CONTACT_URL = env(
    "BIJEEN_ORGANISATION_CONTACT_URL", default="https://www.example.org/contact"
)
# The postal address, one line per comma: "Postbus 1234,1234 AB Voorbeeldstad".
BIJEEN_ORGANISATION_ADDRESS = env.list(
    "BIJEEN_ORGANISATION_ADDRESS", default=["Postbus 1234", "1234 AB Voorbeeldstad"]
)
# The data protection officer (functionaris gegevensbescherming): an e-mail address or a
# web address (a contact form).
BIJEEN_DPO_CONTACT = env("BIJEEN_DPO_CONTACT", default="fg@example.org")
# Who processes personal data on the organisation's behalf: "role=name" pairs separated by
# semicolons. Known roles (hosting, mail, statistics) are described in the visitor's
# language; any other role is shown as written.
BIJEEN_PROCESSORS = env(
    "BIJEEN_PROCESSORS", default="hosting=Voorbeeld Hosting B.V.;mail=Voorbeeld Mail B.V."
)
# Whether every processor keeps the data inside the European Economic Area (the privacy
# statement says so, or says that some do not).
BIJEEN_PROCESSING_INSIDE_EEA = env.bool("BIJEEN_PROCESSING_INSIDE_EEA", default=True)
# Logo: a path among the static files ("huisstijl/logo.svg"); its alt text is the name.
# Empty: the name as text.
BIJEEN_LOGO = env("BIJEEN_LOGO", default="")
# The primary colour (#rrggbb) of header, buttons and links, the text colour on it, and its
# hover shade (default: 25 % darker). Empty: the look of static/css/bijeen.css.
BIJEEN_BRAND_COLOR = env("BIJEEN_BRAND_COLOR", default="")
BIJEEN_BRAND_TEXT_COLOR = env("BIJEEN_BRAND_TEXT_COLOR", default="")
BIJEEN_BRAND_HOVER_COLOR = env("BIJEEN_BRAND_HOVER_COLOR", default="")
# A CSS file of design tokens (--bijeen-* custom properties in :root), a path among the
# static files, loaded after static/css/bijeen.css: "themes/groenwaard/tokens.css".
BIJEEN_THEME_CSS = env("BIJEEN_THEME_CSS", default="")
# A folder of the organisation's own files (logo, tokens), served as static/huisstijl/.
BIJEEN_THEME_DIR = env("BIJEEN_THEME_DIR", default="")
# The accessibility statement (Dutch model statement). Status A-E as in the register:
# A fully compliant, B partly, C first measures taken, D not compliant, E no statement
# yet (the default, until the organisation signs one).
BIJEEN_ACCESSIBILITY_STATUS = env("BIJEEN_ACCESSIBILITY_STATUS", default="E")
# Dates as YYYY-MM-DD: when the statement was signed, and when the site was evaluated.
BIJEEN_ACCESSIBILITY_STATEMENT_DATE = env("BIJEEN_ACCESSIBILITY_STATEMENT_DATE", default="")
BIJEEN_ACCESSIBILITY_EVALUATION_DATE = env("BIJEEN_ACCESSIBILITY_EVALUATION_DATE", default="")
# Who evaluated it, the report, and the statement in the national register.
BIJEEN_ACCESSIBILITY_EVALUATOR = env("BIJEEN_ACCESSIBILITY_EVALUATOR", default="")
BIJEEN_ACCESSIBILITY_REPORT_URL = env("BIJEEN_ACCESSIBILITY_REPORT_URL", default="")
BIJEEN_ACCESSIBILITY_REGISTER_URL = env("BIJEEN_ACCESSIBILITY_REGISTER_URL", default="")
# Known problems found by the evaluation, separated by semicolons, shown as written.
BIJEEN_ACCESSIBILITY_KNOWN_ISSUES = env("BIJEEN_ACCESSIBILITY_KNOWN_ISSUES", default="")
# Where to report a problem (an e-mail or web address; default: the contact form), and
# within how many working days the organisation answers.
BIJEEN_ACCESSIBILITY_CONTACT = env("BIJEEN_ACCESSIBILITY_CONTACT", default="")
BIJEEN_ACCESSIBILITY_RESPONSE_DAYS = env.int("BIJEEN_ACCESSIBILITY_RESPONSE_DAYS", default=5)
# Escalation when the answer does not satisfy: empty name means the Nationale ombudsman.
BIJEEN_OMBUDSMAN_NAME = env("BIJEEN_OMBUDSMAN_NAME", default="")
BIJEEN_OMBUDSMAN_URL = env("BIJEEN_OMBUDSMAN_URL", default="https://www.nationaleombudsman.nl")


def sender_address(address: str, *, name: str) -> str:
    """``noreply@x.nl`` → ``Gemeente X <noreply@x.nl>``; an address that has a display name
    of its own keeps it. ``formataddr`` quotes the name where RFC 5322 asks (a comma, a
    quote) and encodes one with accents, so the name can never become part of the address."""
    own_name, bare = parseaddr(address)
    return formataddr((own_name or name, bare or address))


# The mails' sender: a bare DJANGO_DEFAULT_FROM_EMAIL gets the organisation's name.
DEFAULT_FROM_EMAIL = sender_address(DEFAULT_FROM_EMAIL, name=BIJEEN_ORGANISATION_NAME)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Page cache (core/pagecache.py) ------------------------------------------------------
# Seconds an anonymous visitor's event page or event list may come from the cache; the
# seats shown may be that old (a sign-up always decides under the row lock). 0: off.
BIJEEN_PAGE_CACHE_SECONDS = env.int("BIJEEN_PAGE_CACHE_SECONDS", default=1)

# --- Benchmark ---------------------------------------------------------------------------
# `make bench` measures every page against the cheapest response through the same stack:
# /bench/baseline, mounted only when this is set (config/urls.py). Never set it on a server.
BIJEEN_BENCH_BASELINE = env.bool("BIJEEN_BENCH_BASELINE", default=False)

# --- Authentication -------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username/address before checking passwords.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("DJANGO_AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("DJANGO_AXES_COOLOFF_MINUTES", default=15))
# Lock the combination, so one attacker cannot lock a colleague out from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "backoffice/lockout.html"
# The client address the rate limits use (X-Forwarded-For behind TRUSTED_PROXY_COUNT
# proxies, IPv6 per /64): without it axes sees the load balancer's address for everyone,
# and a stranger could lock any staff member out.
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_ip"
# Staff log in with a password and a TOTP code (backoffice/twofactor.py). Required unless
# switched off (local development and tests switch it off; production keeps it on).
ADMIN_REQUIRE_2FA = env.bool("DJANGO_ADMIN_REQUIRE_2FA", default=True)
# The name authenticator apps show next to the account: the organisation's, unless set.
OTP_TOTP_ISSUER = env("DJANGO_OTP_TOTP_ISSUER", default=BIJEEN_ORGANISATION_NAME)
# Only staff have sessions. One ends this long after login, and after this long idle.
STAFF_SESSION_MAX_AGE = env.int("DJANGO_STAFF_SESSION_HOURS", default=8) * 3600
STAFF_SESSION_IDLE = env.int("DJANGO_STAFF_SESSION_IDLE_MINUTES", default=30) * 60
SESSION_COOKIE_AGE = STAFF_SESSION_MAX_AGE
# How often (seconds) a staff session's last-seen time is written.
STAFF_SESSION_SEEN_RESOLUTION = 60
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time ------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
if BIJEEN_THEME_DIR:
    STATICFILES_DIRS.append(("huisstijl", BIJEEN_THEME_DIR))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Forms ----------------------------------------------------------------------------------
# A small template pack of our own (templates/nlds/) so forms follow NL Design System markup.
CRISPY_ALLOWED_TEMPLATE_PACKS = ["nlds"]
CRISPY_TEMPLATE_PACK = "nlds"

# --- Cookie consent (the consent app) ------------------------------------------------------
CONSENT_COOKIE_NAME = "bijeen_consent"
# A choice counts for a year at most; then the visitor is asked again.
CONSENT_COOKIE_AGE = 365 * 24 * 60 * 60
CONSENT_COOKIE_SECURE = False
# Statistics with Matomo: both set, or no statistics code and no "Statistieken" category.
MATOMO_URL = env("DJANGO_MATOMO_URL", default="")
MATOMO_SITE_ID = env("DJANGO_MATOMO_SITE_ID", default="")

# --- Maps ---------------------------------------------------------------------------------
# Where event pages link to (and, with consent for external media, embed) a map. The
# default is OpenStreetMap itself; tests point it at a fake on loopback.
OPENSTREETMAP_URL = env("DJANGO_OPENSTREETMAP_URL", default="https://www.openstreetmap.org")

# --- Security -------------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Refuse oversized requests before they are parsed (the largest public form is a reaction
# of 2000 characters; the admin's bulk actions post a few hundred fields at most).
DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500
FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024


# A strict Content-Security-Policy (django-csp): no inline script or style anywhere, only
# our own files. A page that embeds Matomo or the map (after consent) adds exactly that
# origin for itself (core/csp.py), so every other page keeps this policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'none'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}


def logging_config(*, fmt: str, level: str) -> dict:
    """Everything to stderr, personal links masked; ``fmt`` is "text" or "json" (one JSON
    object per line, for a log collector). See config/logs.py."""
    if fmt not in ("text", "json"):
        raise ValueError(f"DJANGO_LOG_FORMAT must be text or json, not {fmt!r}")
    formatter = (
        {"()": "config.logs.JsonFormatter"}
        if fmt == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "mask_tokens": {"()": "config.logs.MaskTokensFilter"},
            "drop_refusals": {"()": "config.logs.DropRefusalsFilter"},
        },
        "formatters": {"default": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["mask_tokens"],
                "formatter": "default",
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {"django.request": {"filters": ["drop_refusals"]}},
    }


LOGGING = logging_config(
    fmt=env("DJANGO_LOG_FORMAT", default="text"), level=env("DJANGO_LOG_LEVEL", default="INFO")
)
