"""Questions per event: staff add them in the admin, residents answer them on the form,
answers are shown, exported and erased."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from registrations import services
from registrations.models import Answer, Question, QuestionKind, Registration
from tests.factories import EventFactory
from tests.registrations.test_admin import event_form_data

pytestmark = pytest.mark.django_db

VALID = {"name": "Anna de Vries", "email": "anna@example.org", "consent": "on"}


@pytest.fixture
def event_with_questions():
    event = EventFactory(capacity=20)
    wijkraad = Question.objects.create(
        event=event,
        kind=QuestionKind.SHORT_TEXT,
        text="Welke wijkraad vertegenwoordig je?",
        text_en="Which district council do you represent?",
        is_required=True,
        order=1,
    )
    eten = Question.objects.create(
        event=event,
        kind=QuestionKind.CHOICE,
        text="Wat wil je eten?",
        text_en="What would you like to eat?",
        options="Vlees | Meat\nVegetarisch | Vegetarian\nVeganistisch | Vegan",
        order=2,
    )
    ringleiding = Question.objects.create(
        event=event, kind=QuestionKind.YES_NO, text="Heb je een ringleiding nodig?", order=3
    )
    thema = Question.objects.create(
        event=event,
        kind=QuestionKind.CHOICES,
        text="Over welke thema's wil je praten?",
        options="Veiligheid\nGroen\nJeugd",
        order=4,
    )
    opmerking = Question.objects.create(
        event=event, kind=QuestionKind.LONG_TEXT, text="Nog iets?", order=5
    )
    return event, (wijkraad, eten, ringleiding, thema, opmerking)


def answers_post(questions) -> dict:
    wijkraad, eten, ringleiding, thema, opmerking = questions
    return {
        f"vraag_{wijkraad.pk}": "Wijkraad Noord",
        f"vraag_{eten.pk}": "Vegetarisch",
        f"vraag_{ringleiding.pk}": "ja",
        f"vraag_{thema.pk}": ["Veiligheid", "Jeugd"],
        f"vraag_{opmerking.pk}": "Ik neem\ntaart mee.",
    }


def signup_url(event) -> str:
    return reverse("registrations:signup", args=[event.slug])


def test_the_form_shows_the_questions_in_order_with_labels(client, event_with_questions):
    event, questions = event_with_questions
    html = client.get(event.get_absolute_url()).content.decode()
    positions = [html.index(q.text.replace("'", "&#x27;")) for q in questions]
    assert positions == sorted(positions)
    assert '<legend class="form-label">Wat wil je eten?' in html
    assert f'<label for="id_vraag_{questions[0].pk}" class="form-label">Welke wijkraad' in html
    # Optional questions say so, as every optional field on the site does.
    assert 'Nog iets? <span class="form-label__optional">(niet verplicht)</span>' in html


def test_the_english_form_uses_the_english_texts(client, event_with_questions):
    event, _questions = event_with_questions
    html = client.get("/en" + event.get_absolute_url()).content.decode()
    assert "Which district council do you represent?" in html
    assert "Vegetarian" in html
    # Without an English text, the Dutch one.
    assert "Heb je een ringleiding nodig?" in html


def test_answers_are_stored_shown_and_downloadable(client, event_with_questions):
    event, questions = event_with_questions
    response = client.post(signup_url(event), {**VALID, **answers_post(questions)})
    assert response.status_code == 302
    registration = Registration.objects.get()
    stored = {a.question.text: a.value for a in registration.answers.select_related("question")}
    assert stored == {
        "Welke wijkraad vertegenwoordig je?": "Wijkraad Noord",
        "Wat wil je eten?": "Vegetarisch",
        "Heb je een ringleiding nodig?": True,
        "Over welke thema's wil je praten?": ["Veiligheid", "Jeugd"],
        "Nog iets?": "Ik neem\ntaart mee.",
    }
    page = client.get(registration.get_absolute_url()).content.decode()
    assert "<dt>Welke wijkraad vertegenwoordig je?</dt><dd>Wijkraad Noord</dd>" in page
    assert "<dd>Veiligheid, Jeugd</dd>" in page
    assert "<dd>Ja</dd>" in page
    data = client.get(reverse("registrations:data", args=[registration.token])).json()
    assert {"vraag": "Wat wil je eten?", "antwoord": "Vegetarisch"} in data["antwoorden"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"wijkraad": ""}, "Beantwoord deze vraag."),
        ({"eten": "Pizza"}, "Kies een van de mogelijkheden."),
        ({"thema": ["Sport"]}, "Kies een van de mogelijkheden."),
        ({"ringleiding": "misschien"}, "Kies een van de mogelijkheden."),
        ({"wijkraad": "a\x0bb"}, "Je antwoord bevat tekens die we niet kunnen gebruiken."),
        ({"opmerking": "x" * 2001}, "2001"),
    ],
)
def test_bad_answers_get_a_dutch_message_and_write_nothing(
    client, event_with_questions, change, message
):
    event, questions = event_with_questions
    names = dict(
        zip(["wijkraad", "eten", "ringleiding", "thema", "opmerking"], questions, strict=False)
    )
    data = {**VALID, **answers_post(questions)}
    for key, value in change.items():
        data[f"vraag_{names[key].pk}"] = value
    response = client.post(signup_url(event), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Registration.objects.exists()
    assert not Answer.objects.exists()


def test_hidden_questions_leave_the_form_and_keep_their_answers(client, event_with_questions):
    event, questions = event_with_questions
    client.post(signup_url(event), {**VALID, **answers_post(questions)})
    wijkraad = questions[0]
    wijkraad.is_hidden = True
    wijkraad.save()
    html = client.get(event.get_absolute_url()).content.decode()
    assert wijkraad.text not in html
    assert Answer.objects.filter(question=wijkraad).exists()
    # Posting an answer to a hidden question stores nothing for it.
    client.post(
        signup_url(event),
        {**VALID, "email": "bram@example.org", f"vraag_{wijkraad.pk}": "Stiekem"},
    )
    assert not Answer.objects.filter(value="Stiekem").exists()


def test_exports_and_the_attendance_list_carry_the_answers(staff_client, event_with_questions):
    event, questions = event_with_questions
    services.register(
        event=event,
        name="Anna",
        email="anna@example.org",
        answers={questions[0].pk: "Wijkraad Noord", questions[1].pk: "Vegetarisch"},
    )
    events = reverse("admin:events_event_changelist")
    response = staff_client.post(events, {"action": "export_csv", "_selected_action": [event.pk]})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][-5:] == [q.text for q in questions]
    assert rows[1][-5:-3] == ["Wijkraad Noord", "Vegetarisch"]
    response = staff_client.post(events, {"action": "export_xlsx", "_selected_action": [event.pk]})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][-5:-3] == ["Wijkraad Noord", "Vegetarisch"]
    html = staff_client.get(
        reverse("admin:events_event_attendance_list", args=[event.pk])
    ).content.decode()
    assert "<strong>Wat wil je eten?</strong>: Vegetarisch" in html


def test_erasure_and_purge_remove_the_answers(client, event_with_questions):
    event, questions = event_with_questions
    client.post(signup_url(event), {**VALID, **answers_post(questions)})
    registration = Registration.objects.get()
    client.post(reverse("registrations:erase", args=[registration.token]))
    assert not Answer.objects.exists()

    client.post(signup_url(event), {**VALID, "email": "b@example.org", **answers_post(questions)})
    assert Answer.objects.exists()
    services.purge_personal_data(ended_before=event.ends_at.replace(year=event.ends_at.year + 1))
    assert not Answer.objects.exists()


# --- the admin ----------------------------------------------------------------------


def question_data(prefix_index: int = 0, **fields) -> dict:
    base = {
        "order": "1",
        "kind": "short_text",
        "text": "Welke wijkraad?",
        "text_en": "",
        "help_text": "",
        "help_text_en": "",
        "options": "",
    }
    base.update(fields)
    return {f"questions-{prefix_index}-{key}": value for key, value in base.items()}


def post_event(staff_client, event, questions: dict, *, total: int, initial: int = 0):
    url = reverse("admin:events_event_change", args=[event.pk])
    data = event_form_data(
        event=event,
        slug=event.slug,
        **{"questions-TOTAL_FORMS": str(total), "questions-INITIAL_FORMS": str(initial)},
    )
    data.update(questions)
    return staff_client.post(url, data)


def test_staff_add_a_question_in_the_admin(staff_client):
    event = EventFactory(slug="wijkraad-west")
    response = post_event(staff_client, event, question_data(), total=1)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert event.questions.get().text == "Welke wijkraad?"


def test_a_choice_question_needs_two_options(staff_client):
    event = EventFactory(slug="wijkraad-west")
    response = post_event(
        staff_client, event, question_data(kind="choice", options="Alleen deze"), total=1
    )
    assert response.status_code == 200
    assert "Geef minstens twee keuzes" in response.content.decode()
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    "text",
    ["Heb je een allergie of dieetwens?", "Wat is je geloof?", "Welke medicijnen gebruik je?"],
)
def test_a_question_about_special_categories_needs_the_staff_to_confirm(staff_client, text):
    event = EventFactory(slug="wijkraad-west")
    warned = post_event(staff_client, event, question_data(text=text), total=1)
    assert warned.status_code == 200
    assert "bijzonder persoonsgegeven" in warned.content.decode()
    assert not Question.objects.exists()

    confirmed = post_event(
        staff_client, event, question_data(text=text, special_category_confirmed="on"), total=1
    )
    assert confirmed.status_code == 302
    assert Question.objects.get().special_category_confirmed


def test_an_answered_question_keeps_its_text_and_cannot_be_deleted(staff_client):
    event = EventFactory(slug="wijkraad-west")
    question = Question.objects.create(event=event, kind="short_text", text="Welke wijkraad?")
    services.register(
        event=event, name="Anna", email="anna@example.org", answers={question.pk: "Noord"}
    )
    existing = {"questions-0-id": str(question.pk), "questions-0-event": str(event.pk)}

    retyped = post_event(
        staff_client,
        event,
        {**existing, **question_data(text="Hoe oud ben je?")},
        total=1,
        initial=1,
    )
    assert retyped.status_code == 302
    question.refresh_from_db()
    assert question.text == "Welke wijkraad?"

    deleted = post_event(
        staff_client,
        event,
        {**existing, **question_data(), "questions-0-DELETE": "on"},
        total=1,
        initial=1,
    )
    assert deleted.status_code == 200
    # The admin's own protection (answers refer to the question) speaks first.
    html = deleted.content.decode()
    assert "kan niet weg" in html or "beschermde gerelateerde objecten" in html
    assert Question.objects.filter(pk=question.pk).exists()

    hidden = post_event(
        staff_client, event, {**existing, **question_data(is_hidden="on")}, total=1, initial=1
    )
    assert hidden.status_code == 302
    question.refresh_from_db()
    assert question.is_hidden


def test_display_in_english_uses_the_english_option_names(event_with_questions):
    _event, questions = event_with_questions
    from registrations.questions import display

    with translation.override("en"):
        assert display(questions[1], "Vegetarisch") == "Vegetarian"
        assert display(questions[2], False) == "No"


def test_the_consent_covers_the_answers_and_says_so_for_special_categories(client):
    plain = EventFactory()
    asked = EventFactory()
    Question.objects.create(event=asked, kind="short_text", text="Welke wijkraad?")
    special = EventFactory()
    Question.objects.create(
        event=special,
        kind="short_text",
        text="Heb je een dieetwens?",
        special_category_confirmed=True,
    )
    assert (
        "mijn naam en e-mailadres te gebruiken"
        in client.get(plain.get_absolute_url()).content.decode()
    )
    assert "mijn naam, e-mailadres en antwoorden te gebruiken voor deze aanmelding (" in (
        client.get(asked.get_absolute_url()).content.decode()
    )
    assert "ook als een antwoord iets zegt over mijn gezondheid, geloof of afkomst" in (
        client.get(special.get_absolute_url()).content.decode()
    )
