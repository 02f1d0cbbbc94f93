"""Reads for the event page: its reaction settings and its published reactions."""

from __future__ import annotations

from django.db.models import FilteredRelation, Q

from events.models import Event
from reactions.models import Reaction, ReactionSettings, ReactionStatus

# The columns of a reaction the event page shows: never the e-mail address.
SHOWN = ("pk", "name", "text", "created_at")


def reaction_settings_for(*, event: Event) -> ReactionSettings:
    """The event's reaction settings; an unsaved default (open, moderated) if it has none.

    One query, whatever the event.
    """
    settings = ReactionSettings.objects.filter(event_id=event.pk).first()
    return settings or ReactionSettings(event=event)


def event_page_reactions(*, event: Event) -> tuple[ReactionSettings, list[Reaction]]:
    """The event's reaction settings (as ``reaction_settings_for``) and its approved
    reactions, oldest first, in one query: the event row with its settings and its
    approved reactions joined to it. Every round trip of a page render is paid again in
    waiting for a core under load (docs/performance.md). Only the columns the page shows
    are read: the e-mail address never leaves the database on a public page.
    """
    rows = list(
        Event.objects.filter(pk=event.pk)
        .annotate(
            approved=FilteredRelation(
                "reactions", condition=Q(reactions__status=ReactionStatus.APPROVED)
            )
        )
        .values(
            "reaction_settings__is_open",
            "reaction_settings__is_moderated",
            *(f"approved__{column}" for column in SHOWN),
        )
        .order_by("approved__created_at", "approved__pk")
    )
    first = rows[0] if rows else {}
    if first.get("reaction_settings__is_open") is None:
        settings = ReactionSettings(event=event)
    else:
        settings = ReactionSettings(
            event=event,
            is_open=first["reaction_settings__is_open"],
            is_moderated=first["reaction_settings__is_moderated"],
        )
    reactions = [
        Reaction(
            event=event,
            status=ReactionStatus.APPROVED,
            **{column: row[f"approved__{column}"] for column in SHOWN},
        )
        for row in rows
        if row["approved__pk"] is not None
    ]
    return settings, reactions
