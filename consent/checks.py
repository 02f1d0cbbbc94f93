from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def check_matomo_settings(app_configs, **kwargs) -> list:
    """Statistics need both a Matomo address and a site id; say so instead of staying silent."""
    url, site_id = settings.MATOMO_URL, settings.MATOMO_SITE_ID
    problems = []
    if url and urlsplit(url).scheme not in ("http", "https"):
        problems.append(
            Error(
                "DJANGO_MATOMO_URL must start with https:// (or http://).",
                id="consent.E001",
            )
        )
    if bool(url) != bool(site_id):
        problems.append(
            Warning(
                "Only one of DJANGO_MATOMO_URL and DJANGO_MATOMO_SITE_ID is set; "
                "statistics stay off until both are.",
                id="consent.W001",
            )
        )
    return problems
