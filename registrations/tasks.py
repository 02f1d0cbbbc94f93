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

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks import task

from registrations.models import Registration

logger = logging.getLogger(__name__)

MAIL_KINDS = ("confirmed", "waitlisted", "promoted", "cancelled", "left_waitlist")


def queue_mail(*, registration: Registration, kind: str) -> None:
    """Put an e-mail about ``registration`` in the outbox, inside the caller's transaction."""
    if kind not in MAIL_KINDS:
        raise ValueError(f"unknown mail kind {kind!r}")
    if not connection.in_atomic_block:
        raise RuntimeError("queue_mail() belongs inside the transaction of the change it reports.")
    send_registration_mail.enqueue(registration_id=registration.pk, kind=kind, attempt=1)


def retry_delay(attempt: int) -> datetime.timedelta:
    """How long to wait after failed attempt number ``attempt`` (1, 2, ...)."""
    seconds = settings.BIJEEN_MAIL_RETRY_SECONDS * 2 ** (attempt - 1)
    return datetime.timedelta(seconds=min(seconds, 3600))


@task()
def send_registration_mail(*, registration_id: int, kind: str, attempt: int) -> str:
    """Deliver one e-mail. On a connection or SMTP failure, queue the next attempt and
    fail this one (so the task log shows every failed try)."""
    from registrations.emails import build_message  # templates and settings are ready here

    try:
        registration = Registration.objects.select_related("event").get(pk=registration_id)
    except Registration.DoesNotExist:
        return "skipped: registration no longer exists"
    if registration.anonymised_at is not None:
        return "skipped: the resident's data was erased"
    message = build_message(registration=registration, kind=kind)
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        if attempt >= settings.BIJEEN_MAIL_MAX_ATTEMPTS:
            logger.error(
                "mail %s for registration %s failed for good: %s", kind, registration_id, exc
            )
            raise
        delay = retry_delay(attempt)
        send_registration_mail.using(run_after=timezone.now() + delay).enqueue(
            registration_id=registration_id, kind=kind, attempt=attempt + 1
        )
        logger.warning(
            "mail %s for registration %s failed (attempt %d), retrying in %ss: %s",
            kind,
            registration_id,
            attempt,
            int(delay.total_seconds()),
            exc,
        )
        raise
    return "sent"
