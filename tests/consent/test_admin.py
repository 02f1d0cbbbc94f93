import pytest
from django.contrib.auth.models import User
from django.core.checks import Error, Warning
from django.urls import reverse

from consent.checks import check_matomo_settings
from consent.models import ConsentRecord
from consent.services import record_choice

pytestmark = pytest.mark.django_db


def make_record(**choices: bool) -> ConsentRecord:
    consent = record_choice(
        choices=choices, method=ConsentRecord.Method.PER_CATEGORY, language="nl"
    )
    return ConsentRecord.objects.get(receipt=consent.receipt)


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("beheerder", password="x"))
    return client


def test_an_administrator_finds_a_choice_by_its_receipt(admin_client):
    record = make_record(statistieken=True, **{"externe-media": False})
    make_record(statistieken=False)
    url = reverse("admin:consent_consentrecord_changelist")
    html = admin_client.get(url, {"q": record.receipt}).content.decode()
    assert record.receipt in html
    assert "Statistieken: toegestaan, Externe media: geweigerd" in html
    assert "1 cookiekeuze" in html


def test_nobody_adds_changes_or_deletes_consent_records(admin_client):
    record = make_record(statistieken=True)
    assert admin_client.get(reverse("admin:consent_consentrecord_add")).status_code == 403
    change = reverse("admin:consent_consentrecord_change", args=[record.pk])
    admin_client.post(change, {"receipt": "0" * 32})
    assert ConsentRecord.objects.get().receipt == record.receipt
    delete = reverse("admin:consent_consentrecord_delete", args=[record.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert ConsentRecord.objects.exists()


def test_event_staff_do_not_see_consent_records(client, staff_user):
    staff = staff_user
    client.force_login(staff)
    url = reverse("admin:consent_consentrecord_changelist")
    assert client.get(url).status_code == 403


def test_the_changelist_query_count_does_not_grow(
    admin_client, django_assert_max_num_queries, django_assert_num_queries
):
    url = reverse("admin:consent_consentrecord_changelist")
    for _ in range(3):
        make_record(statistieken=True)
    with django_assert_max_num_queries(20) as captured:
        admin_client.get(url)
    few = len(captured)  # now: the next request clears the log
    for _ in range(40):
        make_record(statistieken=False)
    with django_assert_num_queries(few):
        admin_client.get(url)


def test_matomo_half_configured_is_a_warning(settings):
    settings.MATOMO_URL, settings.MATOMO_SITE_ID = "https://statistiek.example.org/", ""
    assert [type(problem) for problem in check_matomo_settings(None)] == [Warning]


def test_matomo_address_without_https_is_an_error(settings):
    settings.MATOMO_URL, settings.MATOMO_SITE_ID = "statistiek.example.org", "7"
    assert [type(problem) for problem in check_matomo_settings(None)] == [Error]


def test_no_matomo_is_fine(settings):
    assert check_matomo_settings(None) == []
