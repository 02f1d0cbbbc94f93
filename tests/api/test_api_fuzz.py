"""schemathesis fuzzes the public API against its own OpenAPI document, on a live server.

The document is fetched from the server as a client would; every operation gets generated
requests (valid and invalid ones). The checks: never a server error, and every status
code, content type, header and body as the document says.
"""

import datetime

import pytest
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from events.models import Area, Series, Theme
from tests.conftest import fill
from tests.factories import EventFactory

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def api_schema(live_server, settings):
    # One client sends hundreds of requests here: the rate limit has its own test.
    settings.RATELIMIT_ENABLE = False
    noord = Area.objects.create(name="Noord", slug="noord")
    jeugd = Theme.objects.create(name="Jeugd", name_en="Youth", slug="jeugd")
    series = Series.objects.create(title="Inloopavond")
    open_event = EventFactory(
        slug="inloopavond", area=noord, series=series, latitude="52.1", longitude="5.1"
    )
    open_event.themes.add(jeugd)
    full = EventFactory(slug="vol", capacity=1, title_en="Full", series=series)
    fill(full, 1)
    EventFactory(slug="concept", is_published=False)
    EventFactory(
        slug="geweest",
        starts_at=timezone.now() - datetime.timedelta(days=2),
        ends_at=timezone.now() - datetime.timedelta(days=2, hours=-2),
    )
    return schemathesis.openapi.from_url(live_server.url + "/api/v1/openapi.json")


# Each operation, with data that fits the document and with data that does not.
MODES = [GenerationMode.POSITIVE, GenerationMode.NEGATIVE]
EXAMPLES = 150


def test_api_matches_its_openapi_document_and_never_fails(api_schema):
    # (schemathesis's own pytest integration, from_fixture, does not run on pytest 9:
    # the operations are walked here and each gets a hypothesis run of its own.)
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {operation.path for operation in operations} == {
        "/api/v1/events/",
        "/api/v1/events/{slug}/",
        "/api/v1/areas/",
        "/api/v1/themes/",
    }
    calls = []
    for operation in operations:
        for mode in MODES:

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                database=None,
                # The same requests every run, so CI cannot turn red by chance; a new
                # parameter or response changes them. (Random runs found the strict
                # page-number and empty-parameter rules in api/views.py.)
                derandomize=True,
                suppress_health_check=list(HealthCheck),
            )
            def check(case) -> None:
                response = case.call_and_validate()
                calls.append((case.operation.path, response.status_code))

            try:
                check()
            except Unsatisfiable:
                # No parameters (the areas and themes): nothing can be sent wrong.
                assert mode is GenerationMode.NEGATIVE
    statuses = {status for _, status in calls}
    print(f"{len(calls)} requests, status codes {sorted(statuses)}")
    assert 200 in statuses and 400 in statuses and 404 in statuses
