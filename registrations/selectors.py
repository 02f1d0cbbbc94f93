"""Reads about registrations that span more than one row."""

from django.db.models import QuerySet

from events.models import Event
from registrations import questions as event_questions
from registrations.models import (
    AUDIENCE_STATUSES,
    Question,
    Registration,
    RegistrationStatus,
)


def visible_questions(event: Event) -> list[Question]:
    """The questions on ``event``'s sign-up form, in order (one query)."""
    return list(event.questions.filter(is_hidden=False).order_by("order", "pk"))


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first person waiting, and so on; None when not on the waiting list."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id,
        status=RegistrationStatus.WAITLISTED,
        pk__lt=registration.pk,
    ).count()
    return ahead + 1


def personal_data(registration: Registration) -> dict:
    """What we hold about the resident through this registration, in plain words."""

    def moment(value):
        return value.isoformat() if value else None

    event = registration.event
    return {
        "naam": registration.name,
        "e-mailadres": registration.email,
        "taal": registration.language,
        "status": registration.status,
        "aangemeld_op": moment(registration.created_at),
        "van_de_wachtlijst_op": moment(registration.promoted_at),
        "geannuleerd_op": moment(registration.cancelled_at),
        "aantal_personen": registration.party_size,
        "antwoorden": [
            {"vraag": question, "antwoord": answer}
            for question, answer in event_questions.answered(
                registration.answers.select_related("question")
            )
        ],
        "aanwezig": registration.attended,
        "evenement": {
            "titel": event.title,
            "begin": moment(event.starts_at),
            "einde": moment(event.ends_at),
            "locatie": event.location,
        },
    }


def audience(event: Event, audience: str) -> QuerySet[Registration]:
    """The registrations a message to ``audience`` (``MessageAudience``) of ``event`` is
    for: confirmed, waiting, or both; not cancelled, not erased. With and without an
    address (those without are phoned)."""
    return Registration.objects.filter(
        event=event, status__in=AUDIENCE_STATUSES[audience], anonymised_at__isnull=True
    ).order_by("pk")
