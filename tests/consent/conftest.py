import pytest

from consent import categories
from consent.state import Consent, serialise

RECEIPT = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def matomo(settings):
    """Statistics configured, pointing at a Matomo that does not exist (nothing fetches it)."""
    settings.MATOMO_URL = "https://statistiek.example.org/"
    settings.MATOMO_SITE_ID = "7"
    return settings


def consent_cookie(*, version: int | None = None, given_at=None, **choices: bool) -> str:
    """A consent cookie value, e.g. ``consent_cookie(statistieken=True, externe_media=False)``."""
    from django.utils import timezone

    return serialise(
        Consent(
            version=categories.VERSION if version is None else version,
            given_at=given_at or timezone.now(),
            receipt=RECEIPT,
            choices={key.replace("_", "-"): value for key, value in choices.items()},
        )
    )
