"""Admin login throttling (django-axes) counts per client, not per load balancer.

Behind nginx every request comes from the proxy's address. If axes keyed its lockout on
that, anyone on the internet could keep any staff account locked by failing its login
five times. Axes uses the client address the rate limits use (core.ratelimit).
"""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"
PASSWORD = "het-juiste-wachtwoord"


@pytest.fixture(autouse=True)
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.AXES_FAILURE_LIMIT = 5


@pytest.fixture
def staff():
    return User.objects.create_user("medewerker", password=PASSWORD, is_staff=True)


def log_in(client, password: str, forwarded_for: str):
    return client.post(
        reverse("admin:login"),
        {"username": "medewerker", "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def is_logged_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_a_stranger_failing_five_times_does_not_lock_out_the_staff_member(client, staff):
    stranger, colleague = "198.51.100.7", "203.0.113.9"
    answers = [log_in(client, "geraden", stranger).status_code for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]  # the form again; locked at the fifth

    # The stranger is locked out now, even with the right password...
    locked = log_in(client, PASSWORD, stranger)
    assert not is_logged_in(locked)
    assert locked.status_code == 429
    # ...and the staff member, elsewhere behind the same proxy, logs in.
    assert is_logged_in(log_in(client, PASSWORD, colleague))


def test_what_the_client_writes_into_x_forwarded_for_does_not_reset_the_count(client, staff):
    """Only the entry the proxy appended counts; the rest is the client's own text."""
    for number in range(5):
        log_in(client, "geraden", f"192.0.2.{number}, 198.51.100.7")
    assert log_in(client, PASSWORD, "192.0.2.99, 198.51.100.7").status_code == 429
