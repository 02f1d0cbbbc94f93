from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    """Cookie consent: the banner, Cookie-instellingen, and what may load after a choice."""

    name = "consent"
    verbose_name = _("Cookietoestemming")

    def ready(self) -> None:
        from consent import checks  # noqa: F401  (registers the system checks)
