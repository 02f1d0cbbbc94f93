"""Demo themes, wijken, a series and English texts for the demo events (`make run`).

Called by registrations' ``demo_data`` command after it has made the events; idempotent.
"""

from __future__ import annotations

import datetime

from django.db import transaction

from events import services
from events.models import Area, Event, Theme

THEMES = [
    ("veiligheid", "Veiligheid", "Safety"),
    ("jeugd", "Jeugd", "Youth"),
    ("wonen", "Wonen", "Housing"),
    ("energie", "Energie", "Energy"),
    ("groen-en-spelen", "Groen en spelen", "Parks and play"),
]
AREAS = [("centrum", "Centrum"), ("parkkwartier", "Parkkwartier"), ("noord", "Noord")]
# slug of a demo event → (wijk, themes, English title, English description)
TOPICS = {
    "wijkraden-over-veiligheid": ("centrum", ["veiligheid", "jeugd"], "", ""),
    "inloopavond-nieuwe-speeltuin": (
        "parkkwartier",
        ["groen-en-spelen", "jeugd"],
        "Drop-in evening about the new playground in the Parkkwartier",
        "Three designs for the new playground are on the wall. Come and look, ask the "
        "designers questions and tell us which design you like best.\n\n"
        "Children are very welcome; there is lemonade and there are colouring pages.",
    ),
    "spreekuur-energie-besparen": ("centrum", ["energie", "wonen"], "", ""),
    "opening-vernieuwd-marktplein": ("centrum", [], "", ""),
}
# Further dates of the energy consultation, in other wijken: (slug, days later, place, wijk).
SERIES_DATES = [
    ("spreekuur-energie-besparen-noord", 7, "Wijkcentrum De Schakel", "Noordweg 40", "noord"),
    (
        "spreekuur-energie-besparen-parkkwartier",
        14,
        "Buurthuis De Linde",
        "Lindelaan 14, 1234 CD Voorbeeldstad",
        "parkkwartier",
    ),
]


@transaction.atomic
def load_demo_topics() -> list[str]:
    """Create or refresh the demo themes, wijken and series; return what was done."""
    done = []
    themes = {}
    for slug, name, name_en in THEMES:
        themes[slug], _ = Theme.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en}
        )
    areas = {}
    for slug, name in AREAS:
        areas[slug], _ = Area.objects.update_or_create(slug=slug, defaults={"name": name})
    for slug, (area, theme_slugs, title_en, description_en) in TOPICS.items():
        event = Event.objects.filter(slug=slug).first()
        if event is None:
            continue
        Event.objects.filter(pk=event.pk).update(
            area=areas[area], title_en=title_en, description_en=description_en
        )
        event.themes.set([themes[theme] for theme in theme_slugs])
    source = Event.objects.filter(slug="spreekuur-energie-besparen").first()
    if source is not None:
        for slug, days, location, address, area in SERIES_DATES:
            shift = datetime.timedelta(days=days)
            existing = Event.objects.filter(slug=slug).first()
            if existing is None:
                new = services.add_series_date(
                    event=source,
                    starts_at=source.starts_at + shift,
                    ends_at=source.ends_at + shift,
                    location=location,
                    address=address,
                    area=areas[area],
                    is_published=True,
                )
                Event.objects.filter(pk=new.pk).update(slug=slug)
                done.append(f"created {slug} (a further date of {source.slug})")
            else:
                # Dates move with the demo events, which are days from today.
                Event.objects.filter(pk=existing.pk).update(
                    starts_at=source.starts_at + shift, ends_at=source.ends_at + shift
                )
                done.append(f"refreshed {slug}")
    done.append(f"{len(THEMES)} themes, {len(AREAS)} wijken")
    return done
