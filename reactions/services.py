"""Every write to a reaction goes through this module.

Reactions are independent rows: nothing is counted or capped across them, so no lock is
needed. A reaction posted at the moment staff change an event's settings follows the
settings as they were read a moment earlier; moderation can still hide it afterwards.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.adminlog import forget_in_admin_log
from events.models import Event
from reactions.models import Reaction, ReactionStatus
from reactions.selectors import reaction_settings_for


class ReactionError(Exception):
    """A reaction that the rules refuse; ``message`` is safe to show to the resident."""

    message = _("Je reactie is niet geplaatst.")

    def __init__(self, message: str | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class ReactionsClosed(ReactionError):
    message = _("Reageren op dit evenement is gesloten; je reactie is niet geplaatst.")


def reaction_create(*, event: Event, name: str, email: str, text: str) -> Reaction:
    """Store a resident's reaction to ``event``.

    The reaction waits for moderation unless staff switched moderation off for the event;
    then it is published at once. Expects ``name``, ``email`` and ``text`` already
    validated for shape (reactions.forms.ReactionForm); surrounding white space is removed.

    Raises ``ReactionsClosed`` when the event is not published or its reactions are closed;
    nothing is written then.

    Lock: none (see the module): one INSERT.
    """
    settings = reaction_settings_for(event=event)
    if not event.is_published or not settings.is_open:
        raise ReactionsClosed
    return Reaction.objects.create(
        event=event,
        name=name.strip(),
        email=email.strip(),
        text=text.strip(),
        status=ReactionStatus.PENDING if settings.is_moderated else ReactionStatus.APPROVED,
    )


def reactions_approve(
    *,
    reaction_ids: Iterable[int],
    moderator: AbstractBaseUser,
    now: datetime.datetime | None = None,
) -> int:
    """Publish the given reactions (pending or rejected ones); return how many changed.

    Lock: none; one UPDATE, atomic by itself.
    """
    return _moderate(
        reaction_ids=reaction_ids, status=ReactionStatus.APPROVED, moderator=moderator, now=now
    )


def reactions_reject(
    *,
    reaction_ids: Iterable[int],
    moderator: AbstractBaseUser,
    now: datetime.datetime | None = None,
) -> int:
    """Keep the given reactions off the site (also when already published); return how
    many changed.

    Lock: none; one UPDATE, atomic by itself.
    """
    return _moderate(
        reaction_ids=reaction_ids, status=ReactionStatus.REJECTED, moderator=moderator, now=now
    )


def _moderate(
    *,
    reaction_ids: Iterable[int],
    status: ReactionStatus,
    moderator: AbstractBaseUser,
    now: datetime.datetime | None,
) -> int:
    # One UPDATE: atomic by itself, and reactions already in ``status`` keep who moderated
    # them and when.
    return (
        Reaction.objects.filter(pk__in=list(reaction_ids))
        .exclude(status=status)
        .update(status=status, moderated_at=now or timezone.now(), moderated_by=moderator)
    )


def purge_personal_data(*, ended_before: datetime.datetime) -> int:
    """Erase the name and e-mail address of every reaction to events that ended before
    ``ended_before``, also from the admin log entries about them; the text stays, shown
    without a name. Idempotent; returns how many reactions it changed this time.

    Lock: none; one transaction (the log entries are found by the values about to go).
    """
    reactions = Reaction.objects.filter(event__ends_at__lt=ended_before)
    with transaction.atomic():
        forget_in_admin_log(reactions, fields=("name", "email"))
        return reactions.exclude(name="", email="").update(name="", email="")
