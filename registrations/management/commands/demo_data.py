"""Load a few upcoming demo events (idempotent: run it as often as you like)."""

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from events.demo import load_demo_topics
from events.models import Event, EventStatus
from registrations import services
from registrations.models import Question, QuestionKind, Registration

AMSTERDAM_EVENING = datetime.time(19, 0)

DEMO_EVENTS = [
    {
        "slug": "wijkraden-over-veiligheid",
        "title": "Bijeenkomst wijkraden, buurtgemeenschappen en jeugdraden over veiligheid",
        "days_ahead": 9,
        "hours": 2,
        "location": "Raadzaal, gemeentehuis",
        "address": "Marktplein 1, 1234 AB Voorbeeldstad",
        "capacity": 12,
        "registrations": 12,
        "description": (
            "De gemeente schrijft een nieuw plan voor veiligheid in de wijken. Voordat het "
            "plan er ligt, willen we horen wat u en uw buren merken: waar voelt u zich "
            "minder veilig, wat gaat er al goed, en wat moet de gemeente als eerste "
            "aanpakken?\n\n"
            "Wijkraden, buurtgemeenschappen en jeugdraden praten in kleine groepen met "
            "elkaar en met medewerkers van de gemeente. We nemen de uitkomsten mee in het "
            "plan en laten u weten wat we ermee hebben gedaan."
        ),
    },
    {
        "slug": "inloopavond-nieuwe-speeltuin",
        "title": "Inloopavond over de nieuwe speeltuin in het Parkkwartier",
        "days_ahead": 16,
        "hours": 2,
        "location": "Buurthuis De Linde",
        "address": "Lindelaan 14, 1234 CD Voorbeeldstad",
        # Demo coordinates (a park in Utrecht), so the page can show a map.
        "coordinates": ("52.085700", "5.137300"),
        "capacity": 40,
        "waitlist_capacity": 10,
        "registrations": 37,
        "description": (
            "Drie ontwerpen voor de nieuwe speeltuin hangen aan de muur. Kom kijken, stel "
            "vragen aan de ontwerpers en geef aan welk ontwerp u het beste vindt.\n\n"
            "Kinderen zijn van harte welkom; er is limonade en er zijn kleurplaten."
        ),
    },
    {
        "slug": "spreekuur-energie-besparen",
        "title": "Spreekuur: zo bespaart u energie in huis",
        "days_ahead": 23,
        "hours": 1,
        "location": "Bibliotheek Centrum",
        "address": "Stationsstraat 3, 1234 EF Voorbeeldstad",
        "capacity": 25,
        "registrations": 4,
        "description": (
            "Een energiecoach van de gemeente laat zien welke kleine maatregelen het meest "
            "opleveren, en hoe u subsidie aanvraagt voor isolatie.\n\n"
            "Neem gerust uw laatste energierekening mee."
        ),
    },
    {
        # Tomorrow, and its residents signed up a week ago (demo_life_of_events): `make
        # run` queues their reminders within a minute and prints them on the console.
        "slug": "spreekuur-wijkagent",
        "title": "Spreekuur met de wijkagent",
        "days_ahead": 1,
        "hours": 1,
        "location": "Wijkcentrum De Schakel",
        "address": "Noordweg 40, 1234 GH Voorbeeldstad",
        "capacity": 15,
        "registrations": 3,
        "description": (
            "De wijkagent zit een uur klaar voor uw vragen en zorgen over de buurt: "
            "overlast, inbraakpreventie, verkeer."
        ),
    },
    {
        # Cancelled (demo_life_of_events): the list and its page show it.
        "slug": "buurtschouw-oost",
        "title": "Buurtschouw in Oost: samen door de wijk",
        "days_ahead": 12,
        "hours": 2,
        "location": "Start bij de bibliotheek Oost",
        "address": "Oosterlaan 2, 1234 KL Voorbeeldstad",
        "capacity": 20,
        "registrations": 6,
        "description": (
            "We lopen met bewoners, de wijkbeheerder en de wijkagent door de wijk en "
            "noteren wat beter kan: verlichting, stoepen, groen."
        ),
    },
    {
        "slug": "opening-vernieuwd-marktplein",
        "title": "Opening van het vernieuwde Marktplein",
        "days_ahead": -14,
        "hours": 2,
        "location": "Marktplein",
        "address": "",
        "capacity": 200,
        "registrations": 0,
        "description": "Een terugblik: de wethouder opende het plein met de buurt.",
    },
]


class Command(BaseCommand):
    help = "Create or refresh the demo events and their demo registrations."

    def handle(self, *args, **options) -> None:
        today = timezone.localdate()
        tz = timezone.get_current_timezone()
        for spec in DEMO_EVENTS:
            starts_at = datetime.datetime.combine(
                today + datetime.timedelta(days=spec["days_ahead"]), AMSTERDAM_EVENING, tzinfo=tz
            )
            latitude, longitude = spec.get("coordinates", (None, None))
            with transaction.atomic():
                event, created = Event.objects.update_or_create(
                    slug=spec["slug"],
                    defaults={
                        "title": spec["title"],
                        "description": spec["description"],
                        "starts_at": starts_at,
                        "ends_at": starts_at + datetime.timedelta(hours=spec["hours"]),
                        "location": spec["location"],
                        "address": spec["address"],
                        "latitude": latitude,
                        "longitude": longitude,
                        "is_published": True,
                    },
                    create_defaults={
                        "title": spec["title"],
                        "description": spec["description"],
                        "starts_at": starts_at,
                        "ends_at": starts_at + datetime.timedelta(hours=spec["hours"]),
                        "location": spec["location"],
                        "address": spec["address"],
                        "latitude": latitude,
                        "longitude": longitude,
                        "capacity": spec["capacity"],
                        "waitlist_capacity": spec.get("waitlist_capacity", 0),
                        "is_published": True,
                    },
                )
            added = 0
            for number in range(1, spec["registrations"] + 1):
                email = f"bewoner{number}@example.org"
                if Registration.objects.filter(event=event, email=email).exists():
                    continue
                try:
                    services.register(event=event, name=f"Bewoner {number}", email=email)
                except services.RegistrationError:
                    break
                added += 1
            verb = "created" if created else "refreshed"
            self.stdout.write(f"{verb} {event.slug} ({added} registrations added)")
        # Themes, wijken, a series and English texts for the events above (events/demo.py).
        for line in load_demo_topics():
            self.stdout.write(line)
        self.stdout.write(demo_households_and_questions())
        for line in demo_life_of_events():
            self.stdout.write(line)


def demo_life_of_events() -> list[str]:
    """A reminder due and a cancelled event (issue 15). Idempotent."""
    lines = []
    soon = Event.objects.filter(slug="spreekuur-wijkagent").first()
    if soon is not None:
        # Signed up a week ago: a confirmation that recent would be its own reminder.
        Registration.objects.filter(event=soon, reminded_at__isnull=True).update(
            created_at=timezone.now() - datetime.timedelta(days=7)
        )
        lines.append(f"{soon.slug}: reminders due (manage.py send_reminders)")
    off = Event.objects.filter(slug="buurtschouw-oost").first()
    if off is not None and off.status == EventStatus.SCHEDULED:
        services.change_event_status(
            event=off,
            status=EventStatus.CANCELLED,
            reason="De wijkbeheerder is ziek. We plannen een nieuwe buurtschouw in het voorjaar.",
        )
        lines.append(f"{off.slug}: cancelled")
    return lines


def demo_households_and_questions() -> str:
    """The playground evening: families come together (up to 6 persons a sign-up) and
    the form asks two questions. Idempotent."""
    event = Event.objects.filter(slug="inloopavond-nieuwe-speeltuin").first()
    if event is None:
        return "no playground evening to add questions to"
    Event.objects.filter(pk=event.pk).update(max_party_size=6)
    Question.objects.get_or_create(
        event=event,
        text="Hoeveel kinderen komen er mee?",
        defaults={
            "kind": QuestionKind.CHOICE,
            "text_en": "How many children are coming along?",
            "options": "Geen | None\n1 | 1\n2 | 2\n3 of meer | 3 or more",
            "order": 1,
        },
    )
    Question.objects.get_or_create(
        event=event,
        text="Wil je iets vragen aan de ontwerpers?",
        defaults={
            "kind": QuestionKind.LONG_TEXT,
            "text_en": "Would you like to ask the designers something?",
            "help_text": "Dan nemen zij het antwoord mee naar de avond.",
            "help_text_en": "They will bring the answer to the evening.",
            "order": 2,
        },
    )
    return f"{event.slug}: households of up to 6 and two questions"
