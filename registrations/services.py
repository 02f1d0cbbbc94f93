"""Every write to a registration goes through this module.

The sign-up invariant (docs/architecture.md): the persons of an event's confirmed
registrations (the sum of their party sizes) never exceed its capacity, whatever the
number of simultaneous requests, processes or app servers. Each function here runs one
short transaction that locks the event row *first* and only then reads what its decision
depends on. E-mail is never sent here: a task row (the outbox) is written in the same
transaction, and the mail worker delivers it after the commit.

Every function's docstring has a "Lock:" line: what it locks, and what the caller must (or
must not) hold. Private helpers that need the lock say "Caller holds the event's row lock".
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping, Sequence

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Cast, Coalesce, Concat, Lower
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.adminlog import forget_in_admin_log
from core.validators import has_control_characters
from events.models import (
    MAX_REMINDER_HOURS,
    Event,
    EventStatus,
    RegistrationWindow,
    StatusChange,
)
from registrations import selectors, tasks
from registrations.models import (
    ACTIVE_STATUSES,
    Answer,
    Message,
    Question,
    Registration,
    RegistrationStatus,
    new_token,
)

FULL_NOTICE = _("Maximaal aantal aanmeldingen bereikt, je kunt je niet meer aanmelden.")


class RegistrationError(Exception):
    """A change that the rules refuse; ``message`` is safe to show to the resident.

    ``event``: when the refusal was decided under the event's row lock, the event as read
    there (so a caller can show the event as it is without reading it again); else None.
    """

    message = _("Aanmelden is niet gelukt.")
    event: Event | None = None

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


class CancellationClosed(RegistrationError):
    message = _("Het evenement is al begonnen; afmelden kan niet meer.")


class PartySizeNotAllowed(RegistrationError):
    """The party size is outside 1 to the event's maximum (which staff may have lowered)."""

    def __init__(self, maximum: int) -> None:
        self.maximum = maximum
        super().__init__(
            _("Je kunt je aanmelden met 1 tot en met %(max)d personen.") % {"max": maximum}
        )


class PartyDoesNotFit(RegistrationError):
    """Seats are left, but fewer than the party: choose fewer persons or the waiting list
    (``waitlist_ok``) when it has room (``waitlist_possible``)."""

    def __init__(self, *, seats_left: int, waitlist_possible: bool) -> None:
        self.seats_left = seats_left
        self.waitlist_possible = waitlist_possible
        message = ngettext(
            "Er is nog %(seats)d plaats vrij. Meld je aan met minder personen.",
            "Er zijn nog %(seats)d plaatsen vrij. Meld je aan met minder personen.",
            seats_left,
        ) % {"seats": seats_left}
        if waitlist_possible:
            message += " " + str(_("Of zet je groep op de wachtlijst."))
        super().__init__(message)


class NotEnoughSeats(RegistrationError):
    """Raising a party size beyond the seats that are free."""

    def __init__(self, *, seats_left: int) -> None:
        super().__init__(
            ngettext(
                "Er is nog %(seats)d plaats vrij; zoveel personen extra kunnen niet.",
                "Er zijn nog %(seats)d plaatsen vrij; zoveel personen extra kunnen niet.",
                seats_left,
            )
            % {"seats": seats_left}
        )


class EventStatusRefused(Exception):
    """A status change that the rules refuse; ``message`` is safe to show to staff."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(str(message))


CLOSED_MESSAGES = {
    RegistrationWindow.NOT_YET_OPEN: _("Aanmelden voor dit evenement is nog niet geopend."),
    RegistrationWindow.CLOSED: _("Aanmelden voor dit evenement is gesloten."),
    RegistrationWindow.STARTED: _("Dit evenement is al begonnen; aanmelden kan niet meer."),
    RegistrationWindow.CANCELLED: _("Dit evenement is afgelast; aanmelden kan niet."),
    RegistrationWindow.POSTPONED: _(
        "Dit evenement is uitgesteld. Aanmelden kan weer zodra er een nieuwe datum is."
    ),
}

COUNTERS = {
    RegistrationStatus.CONFIRMED: "confirmed_count",
    RegistrationStatus.WAITLISTED: "waitlisted_count",
}


def lock_event(*, event_id: int) -> Event:
    """Lock the event row until the surrounding transaction ends and return it fresh.

    Every change to an event's registrations serialises on this row lock, so a decision
    taken after it (seats left, duplicates, who is first on the waiting list) cannot be
    invalidated by a concurrent request. A plain FOR UPDATE is the right strength: it
    blocks other writers of this event and nobody else; readers of the public pages are
    never blocked. On SQLite the lock is a no-op; there the IMMEDIATE transaction mode
    already serialises all writers.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("lock_event() must be called inside transaction.atomic().")
    return Event.objects.select_for_update(of=("self",)).get(pk=event_id)


def register(
    *,
    event: Event,
    name: str,
    email: str,
    party_size: int = 1,
    answers: Mapping[int, object] | None = None,
    questions: Sequence[Question] | None = None,
    waitlist_ok: bool = False,
    by_staff: bool = False,
    language: str | None = None,
    now: datetime.datetime | None = None,
) -> Registration:
    """Sign ``name`` up for ``event`` with ``party_size`` persons (the resident included):
    confirmed while the whole party fits in the seats left, else on the waiting list while
    it has room for the party.

    Locks the event row, then checks publication, the registration window, the party size
    (1 to ``Event.max_party_size``), duplicates (case-insensitive e-mail), seats and
    waiting-list places, and writes the registration, its ``answers`` (``{question id:
    value}``, shaped by the form; answers to other events' or hidden questions are
    ignored), the event's counter (persons) and the outgoing e-mail (a task row, only with
    an address) in one transaction. ``questions``: the event's visible questions as the
    caller read them for its form, so they need not be read again; without it they are.
    Either way they are read before the lock (the lock does not guard them): an answer to a
    question that staff hide while the resident's POST is on its way is kept, as answered
    on the form the resident saw; one deleted meanwhile is dropped (the sign-up is taken
    once more with the questions as they are then).

    A party that finds some seats but not enough is refused (``PartyDoesNotFit``, with the
    seats left) unless ``waitlist_ok``: then it waits, as everyone does on a full event.

    ``by_staff``: a sign-up staff take at the desk or on the phone. The e-mail address may
    be empty (nothing is mailed), and publication and the registration window do not
    apply; capacity, the party size and duplicates do. On a full event staff must say
    ``waitlist_ok`` explicitly, or the sign-up is refused with the full notice.

    Raises ``RegistrationClosed``, ``AlreadyRegistered``, ``PartySizeNotAllowed``,
    ``PartyDoesNotFit`` or ``EventFull``; nothing is written when it raises.

    Lock: takes the event's row lock as its first statement, in a transaction of its own
    (durable): the caller must not be inside a transaction, and the registration and its
    mail are committed when it returns.
    """
    email = email.strip()
    if not email and not by_staff:
        raise RegistrationError
    for attempt in (1, 2):
        # Which answers belong to this event's visible questions is read before the lock:
        # the lock does not guard the questions, and every statement under it is paid by
        # everyone queued behind it (docs/performance.md).
        kept = _answers_to_visible_questions(event=event, answers=answers, questions=questions)
        try:
            return _register_locked(
                event=event,
                name=name,
                email=email,
                party_size=party_size,
                answers=kept,
                waitlist_ok=waitlist_ok,
                by_staff=by_staff,
                language=language,
                now=now,
            )
        except IntegrityError as exc:
            if attempt == 1 and kept and _a_question_vanished(exc):
                questions = None  # read them again, as they are now
                continue
            error = _domain_error_for(exc)
            if error is None:
                raise
            raise error from exc
    raise AssertionError("unreachable")


def _a_question_vanished(exc: IntegrityError) -> bool:
    """An answer's foreign key broke at COMMIT: its question was deleted meanwhile."""
    diag = getattr(exc.__cause__, "diag", None)
    if diag is not None:
        return diag.sqlstate == "23503" and diag.table_name == Answer._meta.db_table
    return "FOREIGN KEY constraint failed" in str(exc)  # SQLite names nothing


def _register_locked(
    *,
    event: Event,
    name: str,
    email: str,
    party_size: int,
    answers: Mapping[int, object],
    waitlist_ok: bool,
    by_staff: bool,
    language: str | None,
    now: datetime.datetime | None,
) -> Registration:
    """The transaction of ``register``; ``answers`` only to visible questions.

    Lock: takes the event's row lock as its first statement, in a transaction of its own
    (durable); raises IntegrityError when a database backstop fires.
    """
    with transaction.atomic(durable=True):
        locked = lock_event(event_id=event.pk)
        try:
            status = _status_for_new_registration(
                event=locked,
                email=email,
                party_size=party_size,
                waitlist_ok=waitlist_ok,
                by_staff=by_staff,
                now=now or timezone.now(),
            )
        except RegistrationError as exc:
            exc.event = locked
            raise
        registration = Registration.objects.create(
            event=locked,
            name=name.strip(),
            email=email,
            party_size=party_size,
            status=status,
            language=language or translation.get_language() or "nl",
        )
        if answers:
            Answer.objects.bulk_create(
                Answer(registration=registration, question_id=question_id, value=value)
                for question_id, value in answers.items()
            )
        _adjust_counter(event=locked, status=status, by=party_size)
        if email:
            tasks.queue_mail(registration=registration, kind=status)
    return registration


def cancel(
    *,
    registration: Registration,
    by_staff: bool = False,
    notify: bool = True,
    durable: bool = True,
    now: datetime.datetime | None = None,
) -> Registration:
    """Cancel ``registration`` (or take it off the waiting list) and give its seat to the
    first person waiting, all under the event's row lock.

    Idempotent: cancelling a cancelled registration changes nothing and sends nothing.
    Residents cannot cancel once the event has begun (``CancellationClosed``); staff can.
    ``notify=False`` sends the resident nothing (their data is about to be erased); the
    person who moves up is always told.

    Lock: takes the event's row lock as its first statement. With ``durable=True`` (the
    default) in a transaction of its own: the caller must not be inside a transaction, and
    everything is committed when it returns. ``durable=False`` joins the caller's
    transaction instead (``erase`` cancels and anonymises in one); the lock is then held
    until the caller's transaction ends, so keep that transaction short.
    """
    now = now or timezone.now()
    with transaction.atomic(durable=durable):
        event = lock_event(event_id=registration.event_id)
        current = Registration.objects.get(pk=registration.pk)  # read after the lock
        if current.status == RegistrationStatus.CANCELLED:
            return current
        if not by_staff and event.has_begun(now=now):
            raise CancellationClosed
        previous = current.status
        current.status = RegistrationStatus.CANCELLED
        current.cancelled_at = now
        current.save(update_fields=["status", "cancelled_at"])
        _adjust_counter(event=event, status=previous, by=-current.party_size)
        if notify and current.email:
            left_waitlist = previous == RegistrationStatus.WAITLISTED
            kind = "left_waitlist" if left_waitlist else "cancelled"
            tasks.queue_mail(registration=current, kind=kind)
        _promote_waiting(event=event, now=now)
    return current


def change_party_size(
    *, registration: Registration, party_size: int, now: datetime.datetime | None = None
) -> Registration:
    """The resident changes how many persons come. Lowering always works (before the
    start): the freed seats go to the waiting list at once. Raising works only within the
    event's maximum and the seats (or waiting-list places) that are free, and never past
    someone waiting whose party fits.

    Raises ``PartySizeNotAllowed``, ``NotEnoughSeats`` or ``CancellationClosed`` (the event
    has begun); nothing changes then. No mail: the personal page shows the new number.

    Lock: takes the event's row lock as its first statement, in a transaction of its own
    (durable): the caller must not be inside a transaction.
    """
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        event = lock_event(event_id=registration.event_id)
        current = Registration.objects.get(pk=registration.pk)  # read after the lock
        if not current.is_active:
            return current
        if event.has_begun(now=now):
            raise CancellationClosed(_("Het evenement is al begonnen; wijzigen kan niet meer."))
        if not 1 <= party_size <= max(event.max_party_size, current.party_size):
            raise PartySizeNotAllowed(event.max_party_size)
        change = party_size - current.party_size
        if change == 0:
            return current
        if change > 0:
            room = (
                event.seats_left
                if current.status == RegistrationStatus.CONFIRMED
                else event.waitlist_places_left
            )
            if change > room:
                raise NotEnoughSeats(seats_left=room)
        current.party_size = party_size
        current.save(update_fields=["party_size"])
        _adjust_counter(event=event, status=current.status, by=change)
        if change < 0:
            _promote_waiting(event=event, now=now)
    return current


def promote_from_waitlist(*, event_id: int, now: datetime.datetime | None = None) -> int:
    """Fill free seats from the waiting list, first come first served (for example after
    staff raised the capacity). Returns how many moved up.

    Lock: takes the event's row lock; joins the caller's transaction if there is one (the
    admin's save, which already holds the same lock: ``events.admin.EventAdmin.get_object``
    takes it on POST), so the promotion commits together with the new capacity.
    """
    with transaction.atomic():
        event = lock_event(event_id=event_id)
        return _promote_waiting(event=event, now=now or timezone.now())


def set_attendance(*, registration_ids: list[int], attended: bool) -> int:
    """Mark who came (or not). Returns how many changed.

    Lock: none. Attendance is no part of the seat count: one UPDATE of the registrations
    that are not cancelled, atomic by itself.
    """
    return (
        Registration.objects.filter(pk__in=registration_ids)
        .exclude(status=RegistrationStatus.CANCELLED)
        .exclude(attended=attended)
        .update(attended=attended)
    )


def erase(*, registration: Registration, now: datetime.datetime | None = None) -> None:
    """The resident's own request to delete their data: give up the seat (the waiting
    list moves up; no mail, the address is about to go), then erase name, address and
    link, also from the admin log and from failed mail rows (``_anonymise``). The row
    stays, anonymous, so the event's counts stay right.

    Reactions are not touched: a reaction is separate from the registration, and an
    address alone does not prove who wrote it (anyone can sign up with any address and
    get this link in the browser); the erase page says so.

    Lock: one transaction of its own (durable; the caller must not be inside one): the
    cancellation takes the event's row lock, and the anonymisation commits with it, so a
    seat is never given up without the data going, or the other way round.
    """
    now = now or timezone.now()
    with transaction.atomic(durable=True):
        if registration.is_active:
            cancel(registration=registration, by_staff=True, notify=False, durable=False, now=now)
        _anonymise(Registration.objects.filter(pk=registration.pk), now=now)


def purge_personal_data(*, ended_before: datetime.datetime) -> int:
    """Anonymise every registration of events that ended before ``ended_before``, in the
    admin log and failed mail rows too, and erase the subject and text of the messages
    staff sent them (``Message``: who, when, to whom and how many stay). Idempotent;
    returns how many registrations it anonymised this time.

    Lock: none. The events are over: no seat changes hands. One transaction of its own (or
    the caller's), so the log, the mail rows and the registrations are cleaned together.
    """
    with transaction.atomic():
        now = timezone.now()
        # Staff's messages may name someone: their text goes with the registrations.
        Message.objects.filter(event__ends_at__lt=ended_before, erased_at__isnull=True).update(
            subject="", body="", erased_at=now
        )
        return _anonymise(Registration.objects.filter(event__ends_at__lt=ended_before), now=now)


def _anonymise(registrations, *, now: datetime.datetime) -> int:
    """Erase name, address and link of ``registrations``, and the name and address in the
    admin log entries about them and in their failed mail rows. Caller is inside a
    transaction (the log and the rows are read before the UPDATE erases the values)."""
    # The log and the mail rows first: they are found by the values about to go. Also for
    # rows anonymised before these were cleaned (both steps are idempotent).
    forget_in_admin_log(registrations, fields=("name", "email"))
    tasks.forget_mail_errors(registrations)
    # One UPDATE. The placeholders stay unique per row (the e-mail constraint and the
    # token's unique index); anonymised rows are never shown by a personal link.
    Answer.objects.filter(registration__in=registrations).delete()
    return registrations.filter(anonymised_at__isnull=True).update(
        name="",
        email=Concat(Value("verwijderd-"), Cast("pk", CharField()), Value("@example.invalid")),
        token=Concat(Value("verwijderd-"), Cast("pk", CharField())),
        anonymised_at=now,
    )


# --- Messages to everyone signed up -----------------------------------------------------

SUBJECT_MAX_LENGTH = 150
BODY_MAX_LENGTH = 5000


class MessageRefused(Exception):
    """A message that cannot be sent as it is; ``message`` says why, for staff."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(str(message))


def send_message(
    *,
    event: Event,
    audience: str,
    subject: str,
    body: str,
    key: uuid.UUID,
    sent_by: AbstractBaseUser | None = None,
    now: datetime.datetime | None = None,
) -> Message:
    """Send staff's ``subject`` and ``body`` to ``audience`` (``MessageAudience``) of
    ``event``: one mail per resident with an address, each to that one address, with the
    event's details and their personal link appended (the template does that). Residents
    without an address are counted; the admin lists them to phone.

    ``key`` is the compose form's own: sending the same form again (a double click, the
    back button) returns the message already sent and mails nobody twice.

    Raises ``MessageRefused`` for a subject or body that cannot go out (empty, too long, a
    line break in the subject, control characters); nothing is written then.

    Lock: takes the event's row lock as its first statement, in a transaction of its own
    (durable: the caller must not be inside one), so the recipients are read after any
    sign-up or cancellation that came first; the ``Message`` row and every mail's task
    row are committed together.
    """
    subject, body = _checked_message(subject, body)
    with transaction.atomic(durable=True):
        locked = lock_event(event_id=event.pk)
        sent = Message.objects.filter(key=key).first()
        if sent is not None:
            return sent
        registrations = list(selectors.audience(locked, audience).only("pk", "email"))
        mailed = [registration for registration in registrations if registration.email]
        message = Message.objects.create(
            event=locked,
            audience=audience,
            subject=subject,
            body=body,
            key=key,
            sent_by=sent_by,
            sent_at=now or timezone.now(),
            mailed_count=len(mailed),
            without_email_count=len(registrations) - len(mailed),
        )
        for registration in mailed:
            tasks.queue_mail(registration=registration, kind="message", about=message.pk)
    return message


def _checked_message(subject: str, body: str) -> tuple[str, str]:
    """The subject and body as they will be sent, or ``MessageRefused``."""
    body = body.replace("\r\n", "\n").strip()
    if "\n" in subject.strip() or "\r" in subject:
        raise MessageRefused(_("Het onderwerp moet op één regel staan, zonder regeleinde."))
    subject = subject.strip()
    if not subject:
        raise MessageRefused(_("Vul een onderwerp in."))
    if not body:
        raise MessageRefused(_("Vul een bericht in."))
    if len(subject) > SUBJECT_MAX_LENGTH or len(body) > BODY_MAX_LENGTH:
        raise MessageRefused(
            _("Het onderwerp mag hoogstens %(subject)d en het bericht %(body)d tekens lang zijn.")
            % {"subject": SUBJECT_MAX_LENGTH, "body": BODY_MAX_LENGTH}
        )
    if has_control_characters(subject) or has_control_characters(body, allowed="\n\t"):
        raise MessageRefused(_("De tekst bevat tekens die we niet kunnen gebruiken."))
    return subject, body


# --- Reminders ------------------------------------------------------------------------

# Reminders queued per transaction: the event's row lock is held while they are written.
REMINDER_BATCH = 200


def send_due_reminders(*, now: datetime.datetime | None = None) -> int:
    """Queue the reminder mail of every registration that is due one at ``now``; return
    how many were queued. Idempotent and safe to run often, by several processes or
    machines at once: each registration is reminded once per date (``reminded_at``).

    Due: the event is published, scheduled or moved (not cancelled or postponed), has a
    reminder period (``Event.reminder_hours``) and starts within it, not yet begun; the
    registration is confirmed, has an address, is not erased, has not been reminded, and
    was confirmed (signed up, or moved up from the waiting list) before the reminder
    period began: a confirmation that recent is its own reminder.

    Lock: per event, one transaction of its own (durable: the caller must not be inside
    one) that takes the event's row lock first, then re-reads what is due and, for at most
    ``REMINDER_BATCH`` registrations, sets ``reminded_at`` and writes the mails' task
    rows. A second run waits for the lock and then finds them reminded; the lock also
    orders reminders with a status change or cancellation of the same event.
    """
    now = now or timezone.now()
    horizon = now + datetime.timedelta(hours=MAX_REMINDER_HOURS)
    # The events whose reminder period has begun (a few: those of the next four weeks
    # with reminders on), then in one query those with a registration that is due.
    in_period = Q(pk__in=[])
    for event in Event.objects.published().filter(
        status__in=[EventStatus.SCHEDULED, EventStatus.RESCHEDULED],
        reminder_hours__gt=0,
        starts_at__gt=now,
        starts_at__lte=horizon,
    ):
        if event.starts_at - event.reminder_period <= now:
            in_period |= Q(
                event_id=event.pk, confirmed_at__lt=event.starts_at - event.reminder_period
            )
    event_ids = (
        _awaiting_reminder(Registration.objects.all())
        .filter(in_period)
        .order_by("event_id")
        .values_list("event_id", flat=True)
        .distinct()
    )
    return sum(_remind(event_id=event_id, now=now) for event_id in list(event_ids))


def _awaiting_reminder(registrations):
    """Confirmed, with an address, not erased, not yet reminded; ``confirmed_at`` is when
    it got its seat (signed up, or moved up from the waiting list)."""
    return (
        registrations.filter(
            status=RegistrationStatus.CONFIRMED,
            reminded_at__isnull=True,
            anonymised_at__isnull=True,
        )
        .exclude(email="")
        .alias(confirmed_at=Coalesce("promoted_at", "created_at"))
    )


def _remind(*, event_id: int, now: datetime.datetime) -> int:
    """Queue the due reminders of one event, a batch per transaction (see
    ``send_due_reminders``)."""
    queued = 0
    while True:
        with transaction.atomic(durable=True):
            event = lock_event(event_id=event_id)
            period = event.reminder_period
            if (
                not event.is_published
                or event.is_called_off
                or period is None
                or not event.starts_at - period <= now < event.starts_at
            ):
                return queued
            due = _claim_reminders(event=event, confirmed_before=event.starts_at - period, now=now)
            for registration in due:
                tasks.queue_mail(registration=registration, kind="reminder")
            queued += len(due)
        if len(due) < REMINDER_BATCH:
            return queued


def _claim_reminders(
    *, event: Event, confirmed_before: datetime.datetime, now: datetime.datetime
) -> list[Registration]:
    """Claim up to ``REMINDER_BATCH`` of ``event``'s registrations that await a reminder:
    lock them (skipping rows another transaction holds), set ``reminded_at``, return them.
    Caller holds the event's row lock and queues their mails in the same transaction.

    The event's lock already keeps two runs apart. The claim does not rely on it: a row is
    returned only to the one transaction that locked it while ``reminded_at`` was empty
    (PostgreSQL re-checks the condition on a row changed meanwhile), so "once per
    registration" holds in the database itself. tests/concurrency/ shows both together
    hold, and that without them two runs remind everyone twice.
    """
    due = list(
        _awaiting_reminder(Registration.objects.filter(event=event))
        .filter(confirmed_at__lt=confirmed_before)
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("pk")
        .only("pk")[:REMINDER_BATCH]
    )
    Registration.objects.filter(pk__in=[r.pk for r in due]).update(reminded_at=now)
    return due


# --- The event's status ----------------------------------------------------------------

# Which status may follow which. A cancelled event stays cancelled: a new date for it is a
# new event. A postponed event gets a new date (rescheduled) or is cancelled.
NEXT_STATUSES: dict[str, tuple[EventStatus, ...]] = {
    EventStatus.SCHEDULED: (EventStatus.CANCELLED, EventStatus.POSTPONED, EventStatus.RESCHEDULED),
    EventStatus.RESCHEDULED: (
        EventStatus.CANCELLED,
        EventStatus.POSTPONED,
        EventStatus.RESCHEDULED,
    ),
    EventStatus.POSTPONED: (EventStatus.CANCELLED, EventStatus.RESCHEDULED),
    EventStatus.CANCELLED: (),
}
REASON_MAX_LENGTH = 1000


def status_choices(*, event: Event, now: datetime.datetime | None = None) -> tuple[str, ...]:
    """The statuses ``event`` may change to now: none once it has begun (a postponed event
    has not: it has no date) or when it is cancelled."""
    if event.has_begun(now=now):
        return ()
    return NEXT_STATUSES[event.status]


def change_event_status(
    *,
    event: Event,
    status: str,
    reason: str,
    starts_at: datetime.datetime | None = None,
    ends_at: datetime.datetime | None = None,
    changed_by: AbstractBaseUser | None = None,
    now: datetime.datetime | None = None,
) -> StatusChange:
    """Cancel, postpone or move ``event`` (``status``: ``cancelled``, ``postponed`` or
    ``rescheduled`` with the new ``starts_at`` and ``ends_at``), say why (``reason``, shown
    on the event page and in the mail), and tell everyone signed up.

    Locks the event row, then checks, on what it read after the lock, that ``status`` may
    follow the event's status now (``status_choices``) and, for a move, that the new begin
    is in the future, before the new end, and not the begin and end it already has. Then,
    in one transaction: the event's status, reason and calendar SEQUENCE (plus one, so a
    calendar replaces its copy); for a move the new begin and end, the old begin as
    ``previous_starts_at``, and the registration window moved along by the same amount (a
    window that closed a day before the old date closes a day before the new one; whether
    sign-up is open again is what that window says, nothing more); an
    ``events.StatusChange`` row (who, when, why, the dates before and after, how many were
    mailed); and one mail (a task row) per confirmed and waiting registration with an
    address. Registrations stay as they are, also when the event is cancelled: they are
    the record of who was coming, and nobody moves up from the waiting list any more.

    Raises ``EventStatusRefused`` with a message for staff; nothing is written then.

    Lock: takes the event's row lock as its first statement, in a transaction of its own
    (durable): the caller must not be inside a transaction.
    """
    now = now or timezone.now()
    reason = reason.replace("\r\n", "\n").strip()
    _check_reason(reason)
    if status == EventStatus.RESCHEDULED:
        _check_new_times(starts_at, ends_at, now=now)
    with transaction.atomic(durable=True):
        locked = lock_event(event_id=event.pk)
        if status not in status_choices(event=locked, now=now):
            raise EventStatusRefused(status_refusal(event=locked, status=status, now=now))
        fields: dict[str, object] = {
            "status": status,
            "status_reason": reason,
            "sequence": F("sequence") + 1,
            "updated_at": now,
        }
        new_starts_at, new_ends_at = locked.starts_at, locked.ends_at
        if status == EventStatus.RESCHEDULED:
            if (starts_at, ends_at) == (locked.starts_at, locked.ends_at):
                raise EventStatusRefused(
                    _("Dit zijn het begin en einde die het evenement al heeft. Kies een nieuwe.")
                )
            new_starts_at, new_ends_at = starts_at, ends_at
            shift = starts_at - locked.starts_at
            fields.update(starts_at=starts_at, ends_at=ends_at, previous_starts_at=locked.starts_at)
            for name in ("registration_opens_at", "registration_closes_at"):
                if getattr(locked, name) is not None:
                    fields[name] = getattr(locked, name) + shift
        Event.objects.filter(pk=locked.pk).update(**fields)
        if status == EventStatus.RESCHEDULED:
            _reset_reminders(event=locked, starts_at=starts_at, now=now)
        change = StatusChange.objects.create(
            event=locked,
            status=status,
            reason=reason,
            previous_starts_at=locked.starts_at,
            previous_ends_at=locked.ends_at,
            starts_at=new_starts_at,
            ends_at=new_ends_at,
            changed_at=now,
            changed_by=changed_by,
        )
        told = list(_to_tell(locked).only("pk"))
        for registration in told:
            tasks.queue_mail(registration=registration, kind=f"event_{status}", about=change.pk)
        change.mailed_count = len(told)
        change.save(update_fields=["mailed_count"])
    return change


def _reset_reminders(*, event: Event, starts_at: datetime.datetime, now: datetime.datetime) -> None:
    """After a move: a reminder before the new date, unless its reminder period has
    already begun; then the mail about the move, with the new date, is the reminder.
    Caller holds the event's row lock."""
    period = event.reminder_period
    within = period is not None and now >= starts_at - period
    Registration.objects.filter(event=event).update(reminded_at=now if within else None)


def _to_tell(event: Event):
    """The registrations of ``event`` that news about it goes to: confirmed and waiting,
    with an address, not erased."""
    return (
        Registration.objects.filter(
            event=event, status__in=ACTIVE_STATUSES, anonymised_at__isnull=True
        )
        .exclude(email="")
        .order_by("pk")
    )


def _check_reason(reason: str) -> None:
    if not reason:
        raise EventStatusRefused(
            _("Vul een reden in. Die staat op de pagina van het evenement en in de e-mail.")
        )
    if len(reason) > REASON_MAX_LENGTH:
        raise EventStatusRefused(
            _("De reden mag hoogstens %(max)d tekens lang zijn.") % {"max": REASON_MAX_LENGTH}
        )
    if has_control_characters(reason, allowed="\n\t"):
        raise EventStatusRefused(_("De reden bevat tekens die we niet kunnen gebruiken."))


def _check_new_times(
    starts_at: datetime.datetime | None,
    ends_at: datetime.datetime | None,
    *,
    now: datetime.datetime,
) -> None:
    if starts_at is None or ends_at is None:
        raise EventStatusRefused(_("Vul het nieuwe begin en het nieuwe einde in."))
    if starts_at <= now:
        raise EventStatusRefused(_("Het nieuwe begin moet in de toekomst liggen."))
    if ends_at <= starts_at:
        raise EventStatusRefused(_("Het einde moet na het begin liggen."))


def status_refusal(*, event: Event, status: str = "", now: datetime.datetime | None = None) -> str:
    """Why ``status`` (or any status) cannot follow ``event``'s status now, for staff."""
    if event.status == EventStatus.CANCELLED:
        return _("Dit evenement is al afgelast; dat blijft zo. Maak een nieuw evenement aan.")
    if event.has_begun(now=now):
        return _("Dit evenement is al begonnen; de status kan niet meer veranderen.")
    if status == event.status == EventStatus.POSTPONED:
        return _(
            "Dit evenement is al uitgesteld. Verplaats het naar een nieuwe datum of gelast het af."
        )
    return _("Deze status kan niet: kies afgelast, uitgesteld of verplaatst.")


class MailNotRetried(Exception):
    """A failed mail that cannot be sent again; ``message`` says why, for staff."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(str(message))


def retry_mail(*, registration: Registration, kind: str, about: int | None = None) -> None:
    """Put a mail that failed for good in the outbox again: the same kind, for the same
    registration (and the same status change or message), delivered by the worker as
    any other. Refused (``MailNotRetried``) when there is no one to send it to any more.

    Lock: none; a mail changes no seat. One transaction of its own (or the caller's): the
    task row is written or not.
    """
    current = Registration.objects.filter(pk=registration.pk).first()
    if current is None or current.anonymised_at is not None:
        raise MailNotRetried(_("De gegevens van deze aanmelding zijn gewist."))
    if not current.email:
        raise MailNotRetried(_("Deze aanmelding heeft geen e-mailadres."))
    with transaction.atomic():
        tasks.queue_mail(registration=current, kind=kind, about=about)


def rotate_token(*, registration: Registration) -> Registration:
    """Give the registration a new personal link; the old one stops working at once.

    Lock: none; the token is no part of the seat count.
    """
    registration.token = new_token()
    registration.save(update_fields=["token"])
    return registration


def _status_for_new_registration(
    *,
    event: Event,
    email: str,
    party_size: int,
    waitlist_ok: bool,
    by_staff: bool,
    now: datetime.datetime,
) -> RegistrationStatus:
    """Decide what a new registration becomes. Caller holds the event's row lock
    (``lock_event``) and passes the event it returned."""
    if event.is_called_off:
        # Also at the desk: a cancelled event has no seats, a postponed one no date.
        raise RegistrationClosed(CLOSED_MESSAGES[event.registration_window(now=now)])
    if not by_staff:
        if not event.is_published:
            raise RegistrationClosed(CLOSED_MESSAGES[RegistrationWindow.CLOSED])
        window = event.registration_window(now=now)
        if window is not RegistrationWindow.OPEN:
            raise RegistrationClosed(CLOSED_MESSAGES[window])
    if not 1 <= party_size <= event.max_party_size:
        raise PartySizeNotAllowed(event.max_party_size)
    if party_size <= event.seats_left:
        # A second active sign-up with this address is refused by the unique constraint
        # on the INSERT that follows (AlreadyRegistered, BACKSTOPS): the same answer as
        # asking first, one round trip less while the lock is held (docs/performance.md).
        return RegistrationStatus.CONFIRMED
    # Refused or waiting: say "already registered" before "full", as the form always did.
    # Lower() matches the expression of the unique constraint, so both agree on "same".
    if (
        email
        and Registration.objects.filter(event=event, status__in=ACTIVE_STATUSES)
        .alias(email_lower=Lower("email"))
        .filter(email_lower=email.lower())
        .exists()
    ):
        raise AlreadyRegistered
    waitlist_possible = party_size <= event.waitlist_places_left
    if event.seats_left > 0 and not waitlist_ok:
        raise PartyDoesNotFit(seats_left=event.seats_left, waitlist_possible=waitlist_possible)
    if waitlist_possible and (waitlist_ok or not by_staff):
        return RegistrationStatus.WAITLISTED
    raise EventFull


def _answers_to_visible_questions(
    *,
    event: Event,
    answers: Mapping[int, object] | None,
    questions: Sequence[Question] | None,
) -> dict[int, object]:
    """The ``answers`` to ``event``'s visible questions; answers to other events' or hidden
    questions are dropped. Checked against ``questions`` when given, else read (one query;
    none without answers). No lock needed: the lock does not guard the questions."""
    if not answers:
        return {}
    if questions is not None:
        visible = {q.pk for q in questions if q.event_id == event.pk and not q.is_hidden}
    else:
        visible = set(
            event.questions.filter(is_hidden=False, pk__in=list(answers)).values_list(
                "pk", flat=True
            )
        )
    return {question_id: value for question_id, value in answers.items() if question_id in visible}


def _promote_waiting(*, event: Event, now: datetime.datetime) -> int:
    """Move people up from the waiting list while seats are free. Caller holds the event's
    row lock (``lock_event``) and passes the event it returned.

    Arrival order is the primary key: rows for one event are inserted one at a time under
    this lock, so the database sequence orders them the way they arrived, on any number of
    app servers (unlike clock times taken on each server).

    Nobody moves up once the event has begun (``now >= starts_at``): a seat that is
    freed then (staff cancel, a resident erases their data, the capacity is raised) stays
    free, and nobody is mailed "Er is een plaats vrijgekomen" for an event they can no
    longer reach in time. Nor for an event that was cancelled. Every path that promotes
    comes through here.
    """
    if event.has_begun(now=now) or event.status == EventStatus.CANCELLED:
        return 0
    free = event.capacity - event.confirmed_count
    if free <= 0 or event.waitlisted_count <= 0:
        return 0
    # Parties move up in arrival order, each once its whole party fits: a party too big
    # for the seats that are free keeps its place, and a smaller party behind it may take
    # those seats (no seat stays empty while someone waiting fits). The waiting list is
    # bounded by its capacity, so reading its sizes is cheap.
    waiting = Registration.objects.filter(
        event=event, status=RegistrationStatus.WAITLISTED
    ).order_by("pk")
    moving = []
    for registration in waiting.only("pk", "party_size", "email"):
        if registration.party_size <= free:
            moving.append(registration)
            free -= registration.party_size
            if free == 0:
                break
    if not moving:
        return 0
    Registration.objects.filter(pk__in=[r.pk for r in moving]).update(
        status=RegistrationStatus.CONFIRMED, promoted_at=now
    )
    for registration in moving:
        if registration.email:
            tasks.queue_mail(registration=registration, kind="promoted")
    persons = sum(registration.party_size for registration in moving)
    Event.objects.filter(pk=event.pk).update(
        confirmed_count=F("confirmed_count") + persons,
        waitlisted_count=F("waitlisted_count") - persons,
    )
    # Under the lock nobody else moves the counters: no need to read them back.
    event.confirmed_count += persons
    event.waitlisted_count -= persons
    return len(moving)


def _adjust_counter(*, event: Event, status: str, by: int) -> None:
    """Keep the event's counter for ``status`` in step, in SQL (F() + n). Caller holds the
    event's row lock (``lock_event``).

    The check constraint on Event is the database's own refusal to go over capacity,
    should the lock ever be bypassed.
    """
    field = COUNTERS[status]
    Event.objects.filter(pk=event.pk).update(**{field: F(field) + by})
    # The caller holds the row lock, so the counter is still what it read after locking:
    # the new value is known without reading it back. That saves a round trip while the
    # lock is held, and every sign-up of a rush waits for the one before it to commit.
    setattr(event, field, getattr(event, field) + by)


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
