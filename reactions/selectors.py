"""Reads for the event page: its reaction settings and its published reactions."""

from __future__ import annotations

from events.models import Event
from reactions.models import Reaction, ReactionSettings, ReactionStatus


def reaction_settings_for(*, event: Event) -> ReactionSettings:
    """The event's reaction settings; an unsaved default (open, moderated) if it has none.

    One query, whatever the event.
    """
    settings = ReactionSettings.objects.filter(event_id=event.pk).first()
    return settings or ReactionSettings(event=event)


def published_reactions(*, event: Event) -> list[Reaction]:
    """The event's approved reactions, oldest first, in one query.

    Only the columns the page shows are loaded: the e-mail address never leaves the
    database on a public page.
    """
    return list(
        Reaction.objects.filter(event_id=event.pk, status=ReactionStatus.APPROVED)
        .only("pk", "event_id", "name", "text", "created_at")
        .order_by("created_at", "pk")
    )
