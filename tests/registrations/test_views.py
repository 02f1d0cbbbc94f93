import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from registrations import services
from registrations.models import Registration, RegistrationStatus
from tests.conftest import fill
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

FULL_NOTICE = "Maximaal aantal aanmeldingen bereikt, je kunt je niet meer aanmelden."
VALID = {"name": "Anna de Vries", "email": "anna@example.org", "consent": "on"}


def signup_url(event) -> str:
    return reverse("registrations:signup", kwargs={"slug": event.slug})


def signup_block(html: str) -> str:
    return html.split('id="aanmelden"', 1)[1].split("</section>", 1)[0]


def test_open_event_shows_form_with_seats_left_and_privacy_link(client, event):
    block = signup_block(client.get(event.get_absolute_url()).content.decode())
    assert "<form" in block
    assert "Nog 10 plaatsen" in block
    assert 'name="name"' in block
    assert 'name="email"' in block
    assert 'name="consent"' in block
    assert f'href="{reverse("privacy")}"' in block
    assert "csrfmiddlewaretoken" in block


def test_signup_redirects_to_a_confirmation_page_naming_the_event_and_time(client, event):
    response = client.post(signup_url(event), VALID)

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == registration.get_absolute_url()
    page = client.get(response["Location"])
    html = page.content.decode()
    local = timezone.localtime(event.starts_at)
    assert "Je bent aangemeld" in html
    assert event.title in html
    assert f"{local:%d-%m-%Y} om {local:%H:%M}" in html
    assert "no-store" in page["Cache-Control"]
    assert "private" in page["Cache-Control"]
    assert page["X-Robots-Tag"] == "noindex, nofollow"


def test_confirmation_link_uses_the_secret_token_not_the_id(client, event):
    client.post(signup_url(event), VALID)
    registration = Registration.objects.get()
    assert registration.token in registration.get_absolute_url()
    assert client.get(f"/aanmelding/{registration.pk}/").status_code == 404


def test_signing_up_twice_in_another_letter_case_gives_a_friendly_message(client, event):
    client.post(signup_url(event), VALID)
    response = client.post(signup_url(event), {**VALID, "email": "ANNA@Example.ORG"})

    assert response.status_code == 409
    assert "Je bent met dit e-mailadres al aangemeld voor dit evenement." in (
        response.content.decode()
    )
    assert Registration.objects.count() == 1


def test_invalid_email_is_explained_next_to_the_field_and_values_are_kept(client, event):
    response = client.post(signup_url(event), {**VALID, "email": "geen-adres"})

    html = response.content.decode()
    assert response.status_code == 422
    assert "Voer een geldig e-mailadres in." in html
    assert 'value="Anna de Vries"' in html
    assert 'value="geen-adres"' in html
    assert 'aria-invalid="true"' in html
    assert "<title>Fout:" in html
    assert not Registration.objects.exists()


def test_missing_consent_is_explained_and_nothing_is_written(client, event):
    data = {k: v for k, v in VALID.items() if k != "consent"}
    response = client.post(signup_url(event), data)
    assert response.status_code == 422
    assert "Geef toestemming, anders kunnen we je niet aanmelden." in response.content.decode()
    assert not Registration.objects.exists()


def test_missing_name_is_explained(client, event):
    response = client.post(signup_url(event), {**VALID, "name": "   "})
    assert response.status_code == 422
    assert "Dit veld is verplicht." in response.content.decode()
    assert not Registration.objects.exists()


def test_control_characters_in_the_name_are_refused(client, event):
    response = client.post(signup_url(event), {**VALID, "name": "Anna\x07"})
    assert response.status_code == 422
    assert "tekens die we niet kunnen gebruiken" in response.content.decode()
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    "name", ["https://evil.example/login", "www.evil.example", "Anna anna@evil.example"]
)
def test_a_link_or_address_as_name_is_refused_with_a_dutch_message(client, event, name):
    response = client.post(signup_url(event), {**VALID, "name": name})
    assert response.status_code == 422
    assert "Vul alleen je naam in, zonder webadres of e-mailadres." in response.content.decode()
    assert not Registration.objects.exists()


def test_a_link_as_name_is_refused_in_english_on_the_english_site(client, event):
    response = client.post("/en" + signup_url(event), {**VALID, "name": "www.evil.example"})
    assert response.status_code == 422
    assert "Enter only your name, without a web address or e-mail address." in (
        response.content.decode()
    )


@pytest.mark.parametrize("name", ["J. de Vries", "Dr. Ir. K. Jansen", "O'Brien", "李小龙"])
def test_names_with_dots_and_any_script_are_accepted(client, event, name):
    response = client.post(signup_url(event), {**VALID, "name": name})
    assert response.status_code == 302
    assert Registration.objects.get().name == name


def test_control_characters_in_the_address_are_refused(client, event):
    # Django's EmailField accepts them in a quoted local part; no mail server does.
    response = client.post(signup_url(event), {**VALID, "email": '"anna\x0b"@example.org'})
    assert response.status_code == 422
    assert "Je e-mailadres bevat tekens die we niet kunnen gebruiken." in response.content.decode()
    assert not Registration.objects.exists()


def test_overlong_input_is_refused_without_an_error_page(client, event):
    response = client.post(signup_url(event), {**VALID, "name": "A" * 5000})
    assert response.status_code == 422
    assert not Registration.objects.exists()


def test_full_event_shows_the_exact_notice_and_no_form(client):
    event = EventFactory(capacity=2)
    fill(event, 2)
    block = signup_block(client.get(event.get_absolute_url()).content.decode())
    assert FULL_NOTICE in block
    assert "<form" not in block


def test_double_submit_for_the_last_seat_says_already_registered(client):
    event = EventFactory(capacity=1)
    client.post(signup_url(event), VALID)
    response = client.post(signup_url(event), VALID)

    html = response.content.decode()
    assert response.status_code == 409
    assert "Je bent met dit e-mailadres al aangemeld voor dit evenement." in html
    assert FULL_NOTICE in html
    assert Registration.objects.count() == 1


def test_event_filling_up_while_typing_shows_the_full_notice(client):
    event = EventFactory(capacity=1)
    client.get(event.get_absolute_url())  # the resident opens the form...
    services.register(event=event, name="Sneller", email="sneller@example.org")  # ...someone wins

    response = client.post(signup_url(event), VALID)

    assert response.status_code == 409
    assert FULL_NOTICE in response.content.decode()
    assert Registration.objects.filter(event=event).count() == 1


@pytest.mark.parametrize(
    ("kwargs", "sentence"),
    [
        (
            {"registration_closes_at": timezone.now() - datetime.timedelta(hours=1)},
            "Aanmelden voor dit evenement is gesloten.",
        ),
        (
            {"registration_opens_at": timezone.now() + datetime.timedelta(days=2)},
            "Aanmelden voor dit evenement is nog niet geopend.",
        ),
        (
            {
                "starts_at": timezone.now() - datetime.timedelta(minutes=5),
                "ends_at": timezone.now() + datetime.timedelta(hours=1),
            },
            "Dit evenement is al begonnen; aanmelden kan niet meer.",
        ),
    ],
)
def test_closed_registration_says_why_and_shows_no_form(client, kwargs, sentence):
    event = EventFactory(**kwargs)
    block = signup_block(client.get(event.get_absolute_url()).content.decode())
    assert sentence in block
    assert "<form" not in block
    response = client.post(signup_url(event), VALID)
    assert response.status_code == 409
    assert sentence in response.content.decode()
    assert not Registration.objects.exists()


def test_signup_for_an_unpublished_event_is_not_found(client):
    event = EventFactory(is_published=False)
    assert client.post(signup_url(event), VALID).status_code == 404
    assert not Registration.objects.exists()


def test_get_on_the_signup_address_leads_back_to_the_event(client, event):
    response = client.get(signup_url(event))
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()


def test_unknown_personal_link_is_not_found(client):
    assert client.get("/aanmelding/bestaat-niet/").status_code == 404


def test_personal_page_escapes_what_the_resident_typed(client, event):
    client.post(signup_url(event), {**VALID, "name": "<img src=x onerror=alert(1)>"})
    registration = Registration.objects.get()
    html = client.get(registration.get_absolute_url()).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert registration.status == RegistrationStatus.CONFIRMED


def test_a_stale_form_token_gets_a_dutch_explanation_and_writes_nothing(event):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.get(event.get_absolute_url())  # the form was loaded...
    csrf_client.cookies["csrftoken"] = "x" * 32  # ...then the browser's token changed
    response = csrf_client.post(signup_url(event), {**VALID, "csrfmiddlewaretoken": "y" * 32})
    assert response.status_code == 403
    assert "Het formulier is verlopen" in response.content.decode()
    assert not Registration.objects.exists()


def test_missing_page_is_explained_in_dutch(client):
    response = client.get("/evenementen/bestaat-niet/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()
