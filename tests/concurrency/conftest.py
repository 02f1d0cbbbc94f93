import pytest


@pytest.fixture(autouse=True)
def no_rate_limits(settings):
    """Every client here shares 127.0.0.1; the rush is the point, not abuse."""
    settings.RATELIMIT_ENABLE = False
