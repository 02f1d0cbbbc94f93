"""Staff log in with a password and a code from an authenticator app (TOTP), and their
session ends after 8 hours or 30 minutes idle."""

import datetime
import re
import time

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-wachtwoord"
ADMIN = "/admin/"
ENROL = "/admin/tweestapsverificatie/instellen/"
VERIFY = "/admin/tweestapsverificatie/code/"


@pytest.fixture(autouse=True)
def require_2fa(settings):
    settings.ADMIN_REQUIRE_2FA = True


def code_for(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def log_in(client, user) -> None:
    response = client.post(
        reverse("admin:login"), {"username": user.username, "password": PASSWORD, "next": ADMIN}
    )
    assert response.status_code == 302, response.content.decode()[:500]


def test_first_login_enrols_an_authenticator_before_anything_else(client, staff_user):
    log_in(client, staff_user)

    # Password alone opens nothing: every page leads to the enrolment.
    for path in (ADMIN, reverse("admin:events_event_changelist")):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(ENROL)
    page = client.get(ENROL)
    html = page.content.decode()
    assert "Tweestapsverificatie instellen" in html
    assert 'src="data:image/svg+xml;charset=utf-8,' in html
    secret = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', html).group(1)
    device = TOTPDevice.objects.get(user=staff_user)
    assert not device.confirmed
    assert secret.replace(" ", "") in device.config_url

    wrong = client.post(ENROL, {"code": "000000" if code_for(device) != "000000" else "111111"})
    assert wrong.status_code == 422
    assert "Deze code klopt niet" in wrong.content.decode()
    assert client.get(ADMIN).status_code == 302

    time.sleep(1.1)  # django-otp throttles: after one wrong code, the next try waits 1 s
    done = client.post(ENROL, {"code": code_for(device), "next": ADMIN})
    assert done.status_code == 302
    assert done["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_a_later_login_asks_for_a_code(client, staff_user):
    device = TOTPDevice.objects.create(user=staff_user, name="app", confirmed=True)
    log_in(client, staff_user)

    response = client.get(ADMIN)
    assert response["Location"].startswith(VERIFY)
    assert client.post(VERIFY, {"code": "drie"}).status_code == 422
    assert client.get(ADMIN).status_code == 302

    assert client.post(VERIFY, {"code": code_for(device), "next": ADMIN}).status_code == 302
    assert client.get(ADMIN).status_code == 200


def test_an_unverified_staff_session_cannot_preview_unpublished_events(client, staff_user):
    TOTPDevice.objects.create(user=staff_user, name="app", confirmed=True)
    event = EventFactory(is_published=False)
    log_in(client, staff_user)
    response = client.get(event.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


def test_a_code_from_elsewhere_never_redirects_off_the_site(client, staff_user):
    device = TOTPDevice.objects.create(user=staff_user, name="app", confirmed=True)
    log_in(client, staff_user)
    response = client.post(VERIFY, {"code": code_for(device), "next": "https://evil.example/"})
    assert response["Location"] == ADMIN


def test_switched_off_the_password_is_enough(client, staff_user, settings):
    settings.ADMIN_REQUIRE_2FA = False
    log_in(client, staff_user)
    assert client.get(ADMIN).status_code == 200


def test_a_superuser_resets_a_lost_phone_and_the_next_login_enrols_again(client, staff_user):
    device = TOTPDevice.objects.create(user=staff_user, name="app", confirmed=True)
    log_in(client, staff_user)
    client.post(VERIFY, {"code": code_for(device)})
    assert client.get(ADMIN).status_code == 200

    call_command("reset_2fa", staff_user.username)

    assert not TOTPDevice.objects.filter(user=staff_user).exists()
    assert client.get(ADMIN)["Location"].startswith(ENROL)


def test_staff_session_ends_after_30_minutes_idle(client, staff_user, settings):
    settings.ADMIN_REQUIRE_2FA = False
    settings.STAFF_SESSION_SEEN_RESOLUTION = 60
    start = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        log_in(client, staff_user)
        assert client.get(ADMIN).status_code == 200
        clock.shift(datetime.timedelta(minutes=29))
        assert client.get(ADMIN).status_code == 200
        clock.shift(datetime.timedelta(minutes=31))
        response = client.get(ADMIN)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
        assert "_auth_user_id" not in client.session


def test_staff_session_ends_8_hours_after_login_however_active(client, staff_user, settings):
    settings.ADMIN_REQUIRE_2FA = False
    settings.STAFF_SESSION_SEEN_RESOLUTION = 60
    start = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        log_in(client, staff_user)
        for _ in range(8 * 3):  # a request every 20 minutes for 8 hours
            assert client.get(ADMIN).status_code == 200
            clock.shift(datetime.timedelta(minutes=20))
        clock.shift(datetime.timedelta(minutes=1))
        assert client.get(ADMIN).status_code == 302


def test_wrong_codes_in_a_row_are_throttled_with_one_clear_message(client, staff_user):
    device = TOTPDevice.objects.create(user=staff_user, name="app", confirmed=True)
    log_in(client, staff_user)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    assert client.post(VERIFY, {"code": wrong}).status_code == 422
    throttled = client.post(VERIFY, {"code": code_for(device)})
    assert throttled.status_code == 429
    html = throttled.content.decode()
    assert "Te veel verkeerde codes na elkaar" in html
    assert "Deze code klopt niet" not in html
    assert client.get(ADMIN).status_code == 302
