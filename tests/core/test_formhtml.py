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
