import pytest

from tests.browser.fake_services import FakeThirdParties


@pytest.fixture(scope="session")
def third_parties():
    fake = FakeThirdParties().start()
    yield fake
    fake.stop()


@pytest.fixture(autouse=True)
def third_parties_on_loopback(settings, third_parties):
    """Every browser test runs with statistics configured and the map on loopback fakes."""
    settings.MATOMO_URL = third_parties.url + "/"
    settings.MATOMO_SITE_ID = "1"
    settings.OPENSTREETMAP_URL = third_parties.url
    third_parties.clear()
    return third_parties
