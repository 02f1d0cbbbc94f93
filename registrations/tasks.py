"""The mail outbox: tasks written in the caller's transaction, delivered by the worker.

`queue_mail()` only inserts a task row (django-tasks' database backend) in the current
transaction, so a registration and its e-mail are committed together or not at all. The
worker (`manage.py db_worker`) runs `send_registration_mail` after the commit; when the
SMTP server is unreachable it schedules the next attempt with exponential backoff, so a
dead mail server delays mail and never fails or loses a sign-up.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import traceback

from django.conf import settings
from django.db import connection
from django.db.models import IntegerField, QuerySet
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from registrations.models import Registration, RegistrationStatus

logger = logging.getLogger(__name__)

MAIL_KINDS = (
    "confirmed",
    "waitlisted",
    "promoted",
    "cancelled",
    "left_waitlist",
    # About the event rather than the registration: the resident is told only while still
    # signed up when the worker gets to it (see send_registration_mail). Each status
    # change's mail renders from its events.StatusChange row (``change_id``).
    "event_cancelled",
    "event_postponed",
    "event_rescheduled",
    # Before the event (registrations.services.send_due_reminders).
    "reminder",
    # Staff's own text to everyone signed up (registrations.services.send_message).
    "message",
)
# What staff call each kind (the admin's start page lists failed mails by it).
MAIL_KIND_LABELS = {
    "confirmed": _("bevestiging van de aanmelding"),
    "waitlisted": _("op de wachtlijst"),
    "promoted": _("plaats vrijgekomen"),
    "cancelled": _("afgemeld"),
    "left_waitlist": _("van de wachtlijst af"),
    "event_cancelled": _("evenement afgelast"),
    "event_postponed": _("evenement uitgesteld"),
    "event_rescheduled": _("evenement verplaatst"),
    "reminder": _("herinnering"),
    "message": _("bericht aan aanmelders"),
}
TASK_PATH = f"{__name__}.send_registration_mail"
# Kinds that need the row they report on, and the keyword that names it.
ABOUT = {
    "event_cancelled": "change_id",
    "event_postponed": "change_id",
    "event_rescheduled": "change_id",
    "message": "message_id",
}
# Kinds that are news about the event: not worth sending once the resident has cancelled.
ONLY_WHILE_SIGNED_UP = {
    "event_cancelled",
    "event_postponed",
    "event_rescheduled",
    "reminder",
    "message",
}


def queue_mail(*, registration: Registration, kind: str, about: int | None = None) -> None:
    """Put an e-mail about ``registration`` in the outbox, inside the caller's transaction.

    ``about``: the id of the row the mail reports on, for the kinds in ``ABOUT`` (the
    status change).
    """
    if kind not in MAIL_KINDS:
        raise ValueError(f"unknown mail kind {kind!r}")
    if (kind in ABOUT) != (about is not None):
        raise ValueError(f"mail kind {kind!r} {'needs' if kind in ABOUT else 'takes no'} about")
    if not connection.in_atomic_block:
        raise RuntimeError("queue_mail() belongs inside the transaction of the change it reports.")
    send_registration_mail.enqueue(**mail_arguments(registration.pk, kind, about, attempt=1))


def mail_arguments(registration_id: int, kind: str, about: int | None, *, attempt: int) -> dict:
    """The task's keyword arguments. A kind without a row it reports on keeps the shape of
    the rows written before there were any (``registration_id``, ``kind``, ``attempt``)."""
    arguments = {"registration_id": registration_id, "kind": kind, "attempt": attempt}
    if about is not None:
        arguments[ABOUT[kind]] = about
    return arguments


# What a failed mail row's error text becomes when the resident's data is erased.
ERASED_TRACEBACK = "(removed with the resident's data)"


def forget_mail_errors(registrations: QuerySet[Registration]) -> int:
    """Blank the error text of mail tasks about ``registrations`` that may quote them.

    A task row holds the registration id, the kind and the attempt (``queue_mail``), never
    a name or address; but an error raised before ``MailNotSent`` existed (issue 13) kept
    the SMTP server's or Django's message in the row's traceback, and those quote the
    address and name. Such rows keep their status and exception class, so the failure
    stays visible; rows that failed with ``MailNotSent`` name nobody and stay as they are.
    Returns how many rows it changed.
    """
    from django_tasks_db.models import DBTaskResult  # the outbox's table; apps are ready

    return (
        DBTaskResult.objects.alias(
            registration_id=Cast(KT("args_kwargs__kwargs__registration_id"), IntegerField())
        )
        .filter(
            task_path=f"{__name__}.send_registration_mail",
            registration_id__in=registrations.values("pk"),
        )
        .exclude(traceback="")
        .exclude(traceback=ERASED_TRACEBACK)
        .exclude(exception_class_path=f"{__name__}.{MailNotSent.__qualname__}")
        .update(traceback=ERASED_TRACEBACK)
    )


def _still_worth_a_reminder(registration: Registration) -> bool:
    """A reminder that waited in the outbox (the SMTP server was down) is dropped once the
    event has begun or was called off, or the resident moved to the waiting list."""
    event = registration.event
    return (
        registration.status == RegistrationStatus.CONFIRMED
        and not event.is_called_off
        and timezone.now() < event.starts_at
    )


def retry_delay(attempt: int) -> datetime.timedelta:
    """How long to wait after failed attempt number ``attempt`` (1, 2, ...)."""
    seconds = settings.BIJEEN_MAIL_RETRY_SECONDS * 2 ** (attempt - 1)
    return datetime.timedelta(seconds=min(seconds, 3600))


class MailNotSent(Exception):
    """A mail the worker could not deliver. Its message names the mail (kind, registration
    id) and what went wrong (the exception class, an SMTP status code, where in the code),
    never the resident: the exception text ends up in the task row's traceback and in the
    log, and an SMTP error or Django's address parser quotes the address and name."""


def _describe(exc: BaseException) -> str:
    """What went wrong, without the exception's message (which may quote the address).

    The class name, the SMTP status codes or the OS error number, and the innermost frame
    of our own code or the library's: enough to find the cause, no personal data.
    """
    described = type(exc).__name__
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _ in exc.recipients.values()})
        described += f" ({', '.join(map(str, codes))})"
    elif isinstance(exc, smtplib.SMTPResponseException):
        described += f" ({exc.smtp_code})"
    elif isinstance(exc, OSError) and exc.errno is not None:
        described += f" (errno {exc.errno})"
    frames = traceback.extract_tb(exc.__traceback__)
    if frames:
        described += f" at {frames[-1].filename}:{frames[-1].lineno}"
    return described


@task()
def send_registration_mail(
    *,
    registration_id: int,
    kind: str,
    attempt: int,
    change_id: int | None = None,
    message_id: int | None = None,
) -> str:
    """Deliver one e-mail.

    On a connection or SMTP failure, queue the next attempt and fail this one (so the task
    log shows every failed try). Any other error (a bug, a template that does not render)
    would fail again: it fails the task for good, with an ERROR log line. Both raise
    ``MailNotSent`` without the original exception attached, so the task row and the log
    hold no name or address.
    """
    from registrations.emails import build_message  # templates and settings are ready here

    try:
        registration = Registration.objects.select_related("event").get(pk=registration_id)
    except Registration.DoesNotExist:
        return "skipped: registration no longer exists"
    if registration.anonymised_at is not None:
        return "skipped: the resident's data was erased"
    if not registration.email:
        return "skipped: no e-mail address"  # a sign-up staff took at the desk
    if kind in ONLY_WHILE_SIGNED_UP and not registration.is_active:
        return "skipped: no longer signed up"
    if kind == "reminder" and not _still_worth_a_reminder(registration):
        return "skipped: the reminder came too late or the event is off"
    about = change_id if change_id is not None else message_id
    what = f"mail {kind} for registration {registration_id}"
    try:
        build_message(registration=registration, kind=kind, about=about).send()
    except (smtplib.SMTPException, OSError) as exc:
        problem = _describe(exc)
        if attempt >= settings.BIJEEN_MAIL_MAX_ATTEMPTS:
            logger.error("%s failed for good after %d attempts: %s", what, attempt, problem)
            raise MailNotSent(f"{what}, attempt {attempt} (the last): {problem}") from None
        delay = retry_delay(attempt)
        send_registration_mail.using(run_after=timezone.now() + delay).enqueue(
            **mail_arguments(registration_id, kind, about, attempt=attempt + 1)
        )
        logger.warning(
            "%s failed (attempt %d), retrying in %ss: %s",
            what,
            attempt,
            int(delay.total_seconds()),
            problem,
        )
        raise MailNotSent(f"{what}, attempt {attempt}: {problem}") from None
    except Exception as exc:
        problem = _describe(exc)
        logger.error("%s failed for good, not retried: %s", what, problem)
        raise MailNotSent(f"{what}: {problem}") from None
    return "sent"
