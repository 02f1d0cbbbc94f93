"""Empty forms come from memory, and look exactly as a fresh render would."""

import pytest
from crispy_forms.utils import render_crispy_form
from django.utils import translation

from core.formhtml import empty_form_html
from reactions.forms import ReactionForm
from registrations.forms import SignupForm


@pytest.mark.parametrize("form_class", [SignupForm, ReactionForm])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_remembered_empty_form_is_the_rendered_one(form_class, language):
    with translation.override(language):
        assert empty_form_html(form_class) == render_crispy_form(form_class())
        assert empty_form_html(form_class) == empty_form_html(form_class)


def test_each_language_has_its_own_form():
    with translation.override("nl"):
        dutch = empty_form_html(SignupForm)
    with translation.override("en"):
        english = empty_form_html(SignupForm)
    assert "E-mailadres" in dutch
    assert "E-mailadres" not in english
    assert "/en/privacy" in english or "/en/" in english


@pytest.mark.django_db
def test_a_form_with_errors_is_rendered_with_the_visitors_input(client, event):
    response = client.post(
        event.get_absolute_url() + "aanmelden/", {"name": "Ada", "email": "geen-adres"}
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert 'value="Ada"' in html
    assert 'aria-invalid="true"' in html


# An event's own form (party size, questions) is remembered under a key made of exactly
# what its HTML depends on: a change by staff must show at once, never a stale form.


def _event_form_html(event):
    from registrations.selectors import visible_questions

    return render_crispy_form(SignupForm(event=event, questions=visible_questions(event)))


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nl", "en"])
def test_an_events_remembered_form_is_the_rendered_one(client, language):
    from registrations.models import Question, QuestionKind
    from tests.factories import EventFactory

    event = EventFactory(max_party_size=4)
    Question.objects.create(
        event=event, kind=QuestionKind.CHOICE, text="Eten?", options="Vlees\nVega", order=1
    )
    url = ("/en" if language == "en" else "") + event.get_absolute_url()
    first = client.get(url).content.decode()
    second = client.get(url).content.decode()
    with translation.override(language):
        fresh = _event_form_html(event)
    assert fresh in first
    assert fresh in second


@pytest.mark.django_db
def test_a_change_by_staff_shows_on_the_next_page(client):
    from registrations.models import Question, QuestionKind
    from tests.factories import EventFactory

    event = EventFactory(max_party_size=3)
    question = Question.objects.create(
        event=event, kind=QuestionKind.SHORT_TEXT, text="Welke wijkraad?", order=1
    )
    url = event.get_absolute_url()
    assert "Welke wijkraad?" in client.get(url).content.decode()

    question.text = "Welke buurtgemeenschap?"
    question.is_required = True
    question.save()
    html = client.get(url).content.decode()
    assert "Welke buurtgemeenschap?" in html
    assert "Welke wijkraad?" not in html
    assert "(niet verplicht)" not in html.split("Welke buurtgemeenschap?")[1].split("</label>")[0]

    question.is_hidden = True
    question.save()
    assert "Welke buurtgemeenschap?" not in client.get(url).content.decode()

    event.max_party_size = 6
    event.save()
    html = client.get(url).content.decode()
    assert '<option value="6"' in html or 'max="6"' in html


@pytest.mark.django_db
def test_two_events_with_the_same_question_get_their_own_fields(client):
    from registrations.models import Question, QuestionKind
    from tests.factories import EventFactory

    pages = []
    for _ in range(2):
        event = EventFactory()
        question = Question.objects.create(
            event=event, kind=QuestionKind.YES_NO, text="Ringleiding nodig?", order=1
        )
        pages.append((question, client.get(event.get_absolute_url()).content.decode()))
    (first, first_html), (second, second_html) = pages
    assert f'name="vraag_{first.pk}"' in first_html
    assert f'name="vraag_{second.pk}"' in second_html
    assert f'name="vraag_{first.pk}"' not in second_html
