"""Reads about registrations that span more than one row."""

import datetime

from django.db.models import Count, IntegerField, Q, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

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


def event_for_signup(slug: str) -> tuple[Event, list[Question]]:
    """The published event ``slug`` and the questions on its sign-up form, in order: one
    query when it asks questions (each carries its event), two when it asks none. Raises
    ``Event.DoesNotExist`` for a missing or unpublished event.

    A sign-up POST needs both before it can take the lock; in a rush every query before
    the lock is paid a thousand times (docs/performance.md).
    """
    questions = list(
        Question.objects.filter(event__slug=slug, event__is_published=True, is_hidden=False)
        .select_related("event")
        .order_by("order", "pk")
    )
    if questions:
        event = questions[0].event
        for question in questions:
            question.event = event  # one instance, as event.questions would give
        return event, questions
    return Event.objects.published().get(slug=slug), []


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


# Failed mails older than this are no longer news on the start page.
FAILED_MAIL_DAYS = 14
FAILED_MAIL_SHOWN = 20


def mail_overview(*, now: datetime.datetime | None = None) -> dict:
    """The outbox at a glance for the admin's start page: mails waiting (and how many of
    them wait for a retry), sent since midnight, and the failed ones nobody retried yet,
    newest first. Four queries, however many mails there are.

    A failed attempt is "retried" when a later task for the same registration, kind and
    record exists (the worker's own retry after a connection failure, or staff's "Opnieuw
    versturen"); only the others need attention. The error shown is the ``MailNotSent``
    text (the kind, the registration's number, the exception class and SMTP code, never
    a name or address); of any other error only its class.
    """
    from django_tasks_db.models import DBTaskResult, get_date_max  # the outbox; apps ready

    from registrations.tasks import TASK_PATH

    now = now or timezone.now()
    mails = DBTaskResult.objects.filter(task_path=TASK_PATH)
    waiting = mails.filter(status__in=["READY", "RUNNING"])
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    # A task to run at once has the largest date as run_after; a retry, its own time.
    counts = waiting.aggregate(
        waiting=Count("id"),
        later=Count("id", filter=Q(run_after__gt=now) & ~Q(run_after=get_date_max())),
    )
    sent_today = mails.filter(
        status="SUCCESSFUL", finished_at__gte=midnight, return_value="sent"
    ).count()
    failed = list(
        mails.filter(
            status="FAILED", finished_at__gte=now - datetime.timedelta(days=FAILED_MAIL_DAYS)
        )
        .order_by("-finished_at")
        .only(
            "id", "args_kwargs", "enqueued_at", "finished_at", "exception_class_path", "traceback"
        )[: FAILED_MAIL_SHOWN * 5]
    )
    if failed:
        ids = {row.args_kwargs["kwargs"]["registration_id"] for row in failed}
        later = (
            mails.filter(enqueued_at__gt=min(row.enqueued_at for row in failed))
            .alias(registration_id=Cast(KT("args_kwargs__kwargs__registration_id"), IntegerField()))
            .filter(registration_id__in=ids)
            .only("args_kwargs", "enqueued_at")
        )
        retried_after: dict[tuple, datetime.datetime] = {}
        for row in later:
            key = mail_key(row.args_kwargs["kwargs"])
            retried_after[key] = max(retried_after.get(key, row.enqueued_at), row.enqueued_at)
        failed = [
            row
            for row in failed
            if retried_after.get(mail_key(row.args_kwargs["kwargs"]), row.enqueued_at)
            <= row.enqueued_at
        ][:FAILED_MAIL_SHOWN]
        registrations = Registration.objects.select_related("event").in_bulk(
            [row.args_kwargs["kwargs"]["registration_id"] for row in failed]
        )
    else:
        registrations = {}
    return {
        "waiting": counts["waiting"],
        "waiting_for_retry": counts["later"],
        "sent_today": sent_today,
        "failed": [
            {
                "task_id": row.id,
                "kind": row.args_kwargs["kwargs"]["kind"],
                "failed_at": row.finished_at,
                "registration": registrations.get(row.args_kwargs["kwargs"]["registration_id"]),
                "error": mail_error(row.exception_class_path, row.traceback),
            }
            for row in failed
        ],
    }


def mail_key(kwargs: dict) -> tuple:
    """What makes two mail tasks the same mail: registration, kind and the record."""
    return (
        kwargs["registration_id"],
        kwargs["kind"],
        kwargs.get("change_id"),
        kwargs.get("message_id"),
    )


def mail_error(exception_class_path: str, traceback: str) -> str:
    """The error to show staff: the ``MailNotSent`` text, which names no one; of any other
    exception only its class (an older row's message may quote an address)."""
    from registrations.tasks import MailNotSent

    name = f"{MailNotSent.__module__}.{MailNotSent.__qualname__}"
    if exception_class_path == name:
        last = traceback.strip().splitlines()[-1] if traceback.strip() else ""
        return last.split(f"{name}: ", 1)[-1] if last.startswith(name) else MailNotSent.__name__
    return exception_class_path.rsplit(".", 1)[-1] or "?"
