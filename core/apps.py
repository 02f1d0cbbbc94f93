from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Cross-cutting web code: rate limits, the page cache, CSP additions, remembered empty
    forms, the honeypot, shared validators, middleware, health and error views, and the
    organisation's details and house style (with their system checks).

    It imports no other Bijeen app (an import-linter contract in pyproject.toml); every
    app may import it.
    """

    name = "core"
    verbose_name = "Bijeen core"

    def ready(self) -> None:
        from core import checks  # noqa: F401  (registers the system checks)
