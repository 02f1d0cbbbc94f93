from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Cross-cutting web code: rate limits, the page cache, CSP additions, remembered empty
    forms, the honeypot, shared validators, middleware, health and error views.

    It imports no other Bijeen app (an import-linter contract in pyproject.toml); every
    app may import it.
    """

    name = "core"
    verbose_name = "Bijeen core"
