"""Every write to a registration goes through this module.

The sign-up invariant (DESIGN.md): confirmed registrations for an event never exceed its
capacity, whatever the number of simultaneous requests, processes or app servers. Each
function here runs one short transaction that locks the event row *first* and only then
reads what its decision depends on. No network I/O (mail, HTTP) happens inside it.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event, RegistrationWindow
from registrations.models import ACTIVE_STATUSES, Registration, RegistrationStatus

FULL_NOTICE = _("Maximaal aantal aanmeldingen bereikt, je kunt je niet meer aanmelden.")


class RegistrationError(Exception):
    """A sign-up that the rules refuse; ``message`` is safe to show to the resident."""

    message = _("Aanmelden is niet gelukt.")

    def __init__(self, message: str | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class EventFull(RegistrationError):
    message = FULL_NOTICE


class RegistrationClosed(RegistrationError):
    message = _("Aanmelden voor dit evenement is niet mogelijk.")


class AlreadyRegistered(RegistrationError):
    message = _("Je bent met dit e-mailadres al aangemeld voor dit evenement.")


CLOSED_MESSAGES = {
    RegistrationWindow.NOT_YET_OPEN: _("Aanmelden voor dit evenement is nog niet geopend."),
    RegistrationWindow.CLOSED: _("Aanmelden voor dit evenement is gesloten."),
    RegistrationWindow.STARTED: _("Dit evenement is al begonnen; aanmelden kan niet meer."),
}


def lock_event(*, event_id: int) -> Event:
    """Lock the event row until the surrounding transaction ends and return it fresh.

    Every change to an event's registrations serialises on this row lock, so a decision
    taken after it (seats left, duplicates) cannot be invalidated by a concurrent request.
    A plain FOR UPDATE is the right strength: it blocks other writers of this event and
    nobody else; readers of the public pages are never blocked. On SQLite the lock is a
    no-op; there the IMMEDIATE transaction mode already serialises all writers.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("lock_event() must be called inside transaction.atomic().")
    return Event.objects.select_for_update(of=("self",)).get(pk=event_id)


def register(
    *,
    event: Event,
    name: str,
    email: str,
    now: datetime.datetime | None = None,
) -> Registration:
    """Sign ``name`` <``email``> up for ``event`` as a confirmed registration.

    Locks the event row, then checks publication, the registration window, duplicates
    (case-insensitive e-mail) and seats, and writes the registration together with the
    event's confirmed counter in the same transaction.

    Raises ``RegistrationClosed``, ``AlreadyRegistered`` or ``EventFull``; nothing is
    written when it raises.
    """
    email = email.strip()
    try:
        with transaction.atomic(durable=True):
            locked = lock_event(event_id=event.pk)
            _check_can_register(event=locked, email=email, now=now or timezone.now())
            registration = Registration.objects.create(
                event=locked, name=name.strip(), email=email, status=RegistrationStatus.CONFIRMED
            )
            # F() keeps the increment atomic in SQL; the check constraint on Event is the
            # database's own refusal to go over capacity, should the lock ever be bypassed.
            Event.objects.filter(pk=locked.pk).update(confirmed_count=F("confirmed_count") + 1)
    except IntegrityError as exc:
        error = _domain_error_for(exc)
        if error is None:
            raise
        raise error from exc
    return registration


def _check_can_register(*, event: Event, email: str, now: datetime.datetime) -> None:
    """Raise when ``event`` (locked by the caller) does not accept ``email`` at ``now``."""
    if not event.is_published:
        raise RegistrationClosed(CLOSED_MESSAGES[RegistrationWindow.CLOSED])
    window = event.registration_window(now=now)
    if window is not RegistrationWindow.OPEN:
        raise RegistrationClosed(CLOSED_MESSAGES[window])
    # Lower() matches the expression of the unique constraint, so both agree on "same".
    if (
        Registration.objects.filter(event=event, status__in=ACTIVE_STATUSES)
        .alias(email_lower=Lower("email"))
        .filter(email_lower=email.lower())
        .exists()
    ):
        raise AlreadyRegistered
    if event.is_full:
        raise EventFull


BACKSTOPS = {
    "registration_one_active_per_email": AlreadyRegistered,
    "event_confirmed_within_capacity": EventFull,
}


def _domain_error_for(exc: IntegrityError) -> RegistrationError | None:
    """The error a resident should see when a database backstop fired, if it is one of ours."""
    # psycopg reports the violated constraint's name; SQLite only names it in the message.
    diag = getattr(exc.__cause__, "diag", None)
    name = getattr(diag, "constraint_name", None)
    for constraint, error in BACKSTOPS.items():
        if name == constraint or (name is None and constraint in str(exc)):
            return error()
    return None
