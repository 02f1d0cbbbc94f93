"""Factories for every model, in one place."""

import datetime

import factory
from django.utils import timezone

from events.models import Event
from reactions.models import Reaction, ReactionSettings, ReactionStatus
from registrations.models import Registration, RegistrationStatus


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Bijeenkomst {n}")
    slug = factory.Sequence(lambda n: f"bijeenkomst-{n}")
    description = "Praat mee over de wijk."
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))
    location = "Buurthuis De Linde"
    address = "Lindelaan 14, Voorbeeldstad"
    capacity = 10
    is_published = True


class RegistrationFactory(factory.django.DjangoModelFactory):
    """Writes rows directly: for setting up reads only. Sign-ups in tests go through
    registrations.services.register, which also keeps the event's counter."""

    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Bewoner {n}")
    email = factory.Sequence(lambda n: f"bewoner{n}@example.org")
    status = RegistrationStatus.CONFIRMED


class ReactionFactory(factory.django.DjangoModelFactory):
    """Writes rows directly: for setting up reads. Posting in tests goes through the view
    or reactions.services.reaction_create."""

    class Meta:
        model = Reaction

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Buurtgenoot {n}")
    email = factory.Sequence(lambda n: f"buurtgenoot{n}@example.org")
    text = "Fijn dat dit georganiseerd wordt."
    status = ReactionStatus.APPROVED


class ReactionSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReactionSettings

    event = factory.SubFactory(EventFactory)
    is_open = True
    is_moderated = True
