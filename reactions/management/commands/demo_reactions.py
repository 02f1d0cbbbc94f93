"""Load a few demo reactions on the demo events (idempotent: run it as often as you like).

Run after `demo_data`, which creates the events. Events that do not exist are skipped.
"""

from django.core.management.base import BaseCommand

from events.models import Event
from reactions.models import Reaction, ReactionSettings, ReactionStatus

DEMO_REACTIONS = {
    "inloopavond-nieuwe-speeltuin": [
        ("Fatima", "Wat fijn dat we mogen meedenken. Komen er ook schommels voor kleine kinderen?"),
        (
            "Joost van Dam",
            "Ik neem mijn twee dochters mee.\nZij hebben al tekeningen gemaakt van hun "
            "droomspeeltuin; mogen die ook aan de muur?",
        ),
        ("Wendy", "Graag ook bankjes in de schaduw voor de opa's en oma's."),
    ],
    "spreekuur-energie-besparen": [
        ("Henk", "Kan ik ook vragen stellen over zonnepanelen op een plat dak?"),
    ],
}
PENDING = ("inloopavond-nieuwe-speeltuin", "Bas", "Is er parkeergelegenheid in de buurt?")
CLOSED = "wijkraden-over-veiligheid"


class Command(BaseCommand):
    help = "Create the demo reactions: published ones, one waiting for review, one closed event."

    def handle(self, *args, **options) -> None:
        events = {e.slug: e for e in Event.objects.filter(slug__in=[*DEMO_REACTIONS, CLOSED])}
        added = 0
        for slug, reactions in DEMO_REACTIONS.items():
            if slug not in events:
                continue
            for name, text in reactions:
                _, created = Reaction.objects.get_or_create(
                    event=events[slug],
                    name=name,
                    defaults={
                        "email": f"{name.split()[0].lower()}@example.org",
                        "text": text,
                        "status": ReactionStatus.APPROVED,
                    },
                )
                added += created
        slug, name, text = PENDING
        if slug in events:
            _, created = Reaction.objects.get_or_create(
                event=events[slug],
                name=name,
                defaults={"email": "bas@example.org", "text": text},
            )
            added += created
        if CLOSED in events:
            ReactionSettings.objects.update_or_create(
                event=events[CLOSED], defaults={"is_open": False}
            )
        self.stdout.write(f"{added} demo reactions added")
