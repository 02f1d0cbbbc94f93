from django import template

from core.formhtml import empty_form_html, keyed_form_html
from events.models import Event, RegistrationWindow
from registrations.forms import SignupForm
from registrations.models import Question
from registrations.selectors import visible_questions
from registrations.services import CLOSED_MESSAGES, FULL_NOTICE

register = template.Library()


def _closed_message(event: Event):
    window = event.registration_window()
    if not event.is_published:
        return CLOSED_MESSAGES[RegistrationWindow.CLOSED]
    if window is not RegistrationWindow.OPEN:
        return CLOSED_MESSAGES[window]
    return None


def notice_in_place_of_form(event: Event) -> str | None:
    """The notice that ``signup_block`` shows instead of the form (why sign-up is closed,
    or the full notice), or None when it shows the form. Decided as the block decides."""
    closed_message = _closed_message(event)
    if closed_message is not None:
        return str(closed_message)
    if event.is_full and not event.accepts_waitlist:
        return str(FULL_NOTICE)
    return None


def _form_key(event: Event, questions: list[Question]) -> tuple:
    fields = [field.attname for field in Question._meta.concrete_fields]
    return (
        "signup",
        event.max_party_size if event.asks_party_size else None,
        tuple(tuple(getattr(question, name) for name in fields) for question in questions),
    )


@register.inclusion_tag("registrations/_signup_block.html", takes_context=True)
def signup_block(context: template.Context, event: Event) -> dict:
    """The registration block of an event page: the form, the full notice, or why it's closed.

    A form re-rendered with errors arrives in the context as ``signup_form``; the empty
    form's HTML comes from memory (core/formhtml.py).
    """
    closed_message = _closed_message(event)
    full_notice = (
        FULL_NOTICE
        if closed_message is None and event.is_full and not event.accepts_waitlist
        else None
    )
    bound = context.get("signup_form")
    form, form_html = bound, None
    # The full notice and the closed message stand in place of the form: no form to build.
    if bound is None and closed_message is None and full_notice is None:
        questions = visible_questions(event)
        if questions or event.asks_party_size:
            # This event's own form: its HTML depends on the party size and on every
            # field of its questions, so exactly those are the key.
            form_html = keyed_form_html(
                _form_key(event, questions),
                lambda: SignupForm(event=event, questions=questions),
            )
        else:
            # The plain form is the same for every event: its HTML comes from memory.
            form_html = empty_form_html(SignupForm)
    return {
        "event": event,
        "form": form,
        "form_html": form_html,
        "closed_message": closed_message,
        "waitlist_open": closed_message is None and event.accepts_waitlist,
        "full_notice": full_notice,
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }
