from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class RegistrationWindow(StrEnum):
    """Where an event stands in its registration window at a given moment."""

    NOT_YET_OPEN = "not_yet_open"
    OPEN = "open"
    CLOSED = "closed"
    STARTED = "started"
    # The event itself is off, whatever the dates say (Event.status).
    CANCELLED = "cancelled"
    POSTPONED = "postponed"


class EventStatus(models.TextChoices):
    """Whether the event takes place as planned: the values of schema.org's eventStatus
    (https://schema.org/EventStatusType). Changed only by
    ``registrations.services.change_event_status``, which tells everyone signed up."""

    SCHEDULED = "scheduled", _("gepland")
    CANCELLED = "cancelled", _("afgelast")
    # Not on its date, and no new date yet.
    POSTPONED = "postponed", _("uitgesteld")
    # Moved to a new begin and end (Event.previous_starts_at holds the one before).
    RESCHEDULED = "rescheduled", _("verplaatst")


# Statuses in which the event does not take place on its dates: no sign-ups, no reminders.
CALLED_OFF = (EventStatus.CANCELLED, EventStatus.POSTPONED)
# A reminder this many hours ahead at most (four weeks); more is surely a typing error.
MAX_REMINDER_HOURS = 24 * 28


class Theme(models.Model):
    """A subject residents look for ("Veiligheid", "Jeugd", "Wonen"); staff keep the list."""

    name = models.CharField(_("naam"), max_length=100, unique=True)
    name_en = models.CharField(
        _("naam in het Engels"),
        max_length=100,
        blank=True,
        help_text=_("Niet verplicht. Leeg: de Engelse site toont de Nederlandse naam."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_("Het woord in het webadres van een gefilterde lijst, zoals ?thema=jeugd."),
    )

    class Meta:
        verbose_name = _("thema")
        verbose_name_plural = _("thema's")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def localized_name(self) -> str:
        """The English name on /en/ when staff gave one, else the Dutch name."""
        if self.name_en and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name


class Area(models.Model):
    """A wijk or buurt. Its name is a place name, the same in both languages."""

    name = models.CharField(_("naam"), max_length=100, unique=True)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_("Het woord in het webadres van een gefilterde lijst, zoals ?wijk=noord."),
    )

    class Meta:
        verbose_name = _("wijk")
        verbose_name_plural = _("wijken")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Series(models.Model):
    """Dates of one event in several places or times ("Inloopavond energie" in five wijken).

    Each date is an Event of its own, with its own capacity and registrations; the series
    only ties them together, so each date's page can list the others.
    """

    title = models.CharField(_("titel"), max_length=200)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("reeks")
        verbose_name_plural = _("reeksen")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


@dataclass(frozen=True)
class LocalizedText:
    """A text in the active language when there is one, and which language it is in."""

    text: str
    lang: str
    is_fallback: bool

    def __str__(self) -> str:
        return self.text


class EventQuerySet(models.QuerySet["Event"]):
    def published(self) -> EventQuerySet:
        return self.filter(is_published=True)

    def with_topics(self) -> EventQuerySet:
        """Area, series and themes fetched along: two queries for any number of events."""
        return self.select_related("area", "series").prefetch_related("themes")

    def upcoming(self, *, now: datetime.datetime | None = None) -> EventQuerySet:
        """Events that have not started yet, soonest first."""
        return self.filter(starts_at__gt=now or timezone.now()).order_by("starts_at", "pk")

    def past(self, *, now: datetime.datetime | None = None) -> EventQuerySet:
        """Events that have started, most recent first."""
        return self.filter(starts_at__lte=now or timezone.now()).order_by("-starts_at", "-pk")


class Event(models.Model):
    title = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    description = models.TextField(_("beschrijving"), blank=True)
    # English texts are optional: /en/ shows the Dutch text with a note when they are
    # empty (Event.localized; docs/decisions/0017).
    title_en = models.CharField(_("titel in het Engels"), max_length=200, blank=True)
    description_en = models.TextField(_("beschrijving in het Engels"), blank=True)
    area = models.ForeignKey(
        Area,
        verbose_name=_("wijk"),
        related_name="events",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("thema's"), related_name="events", blank=True
    )
    series = models.ForeignKey(
        Series,
        verbose_name=_("reeks"),
        related_name="events",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text=_("Andere data van hetzelfde evenement. Elke datum heeft eigen plaatsen."),
    )
    starts_at = models.DateTimeField(_("begin"))
    ends_at = models.DateTimeField(_("einde"))
    location = models.CharField(_("locatie"), max_length=200, help_text=_("Naam van de plek."))
    address = models.CharField(_("adres"), max_length=300, blank=True)
    # Optional, typed in by staff: with both, the event page can show the place on a map.
    # Never looked up over the network (no geocoding): without them the page links to a
    # map search for the address instead.
    latitude = models.DecimalField(
        _("breedtegraad"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Niet verplicht, voor de kaart. Bijvoorbeeld 52.090737."),
    )
    longitude = models.DecimalField(
        _("lengtegraad"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Niet verplicht, voor de kaart. Bijvoorbeeld 5.121420."),
    )
    capacity = models.PositiveIntegerField(_("maximaal aantal aanmeldingen"))
    waitlist_capacity = models.PositiveIntegerField(
        _("plaatsen op de wachtlijst"),
        default=0,
        help_text=_(
            "0: geen wachtlijst. Is het evenement vol, dan kan niemand zich meer aanmelden."
        ),
    )
    max_party_size = models.PositiveSmallIntegerField(
        _("maximaal aantal personen per aanmelding"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_(
            "1: ieder meldt zich apart aan. Meer: het formulier vraagt met hoeveel personen "
            "iemand komt (inclusief zichzelf). Plaatsen tellen in personen."
        ),
    )
    registration_opens_at = models.DateTimeField(
        _("aanmelden opent"),
        null=True,
        blank=True,
        help_text=_("Leeg: aanmelden kan zodra het evenement gepubliceerd is."),
    )
    registration_closes_at = models.DateTimeField(
        _("aanmelden sluit"),
        null=True,
        blank=True,
        help_text=_("Leeg: aanmelden kan tot het begin van het evenement."),
    )
    # Persons, not registrations: the sum of the party sizes of the confirmed (waiting)
    # registrations. Maintained only by registrations.services, inside the locked
    # transaction that changes a registration's status or party size. The check constraint
    # below makes the database itself refuse an overbooking, whatever code path a bug
    # might take.
    confirmed_count = models.PositiveIntegerField(
        _("bevestigde personen"), default=0, editable=False
    )
    waitlisted_count = models.PositiveIntegerField(
        _("personen op de wachtlijst"), default=0, editable=False
    )
    reminder_hours = models.PositiveSmallIntegerField(
        _("herinnering (uren vooraf)"),
        null=True,
        blank=True,
        default=48,
        validators=[MaxValueValidator(MAX_REMINDER_HOURS)],
        help_text=_(
            "Zoveel uur voor het begin krijgt iedere bevestigde bewoner een herinnering per "
            "e-mail. Leeg of 0: geen herinnering."
        ),
    )
    is_published = models.BooleanField(_("gepubliceerd"), default=False)
    # The status and what goes with it are written only by
    # registrations.services.change_event_status, under the row lock, together with the
    # mails to everyone signed up; never by the admin's form (so: not editable).
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EventStatus.choices,
        default=EventStatus.SCHEDULED,
        editable=False,
    )
    status_reason = models.TextField(_("reden"), blank=True, editable=False)
    # The begin before the event was last moved (schema.org's previousStartDate).
    previous_starts_at = models.DateTimeField(
        _("eerder gepland begin"), null=True, blank=True, editable=False
    )
    # The iCalendar SEQUENCE: raised when the date, place or status changes, so a calendar
    # that has the event replaces it with the newer version.
    sequence = models.PositiveIntegerField(_("versie"), default=0, editable=False)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd"), auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("evenement")
        verbose_name_plural = _("evenementen")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("Het einde moet na het begin liggen."),
            ),
            models.CheckConstraint(
                condition=Q(max_party_size__gte=1),
                name="event_max_party_size_positive",
                violation_error_message=_(
                    "Het aantal personen per aanmelding moet minstens 1 zijn."
                ),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gt=0),
                name="event_capacity_positive",
                violation_error_message=_("Het maximaal aantal aanmeldingen moet minstens 1 zijn."),
            ),
            models.CheckConstraint(
                condition=Q(confirmed_count__lte=F("capacity")),
                name="event_confirmed_within_capacity",
                violation_error_message=_(
                    "Er zijn meer bevestigde aanmeldingen dan het maximaal aantal aanmeldingen."
                ),
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__lte=F("starts_at")),
                name="event_registration_closes_by_start",
                violation_error_message=_(
                    "Aanmelden moet uiterlijk bij het begin van het evenement sluiten."
                ),
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_opens_at__lt=F("registration_closes_at")),
                name="event_registration_opens_before_close",
                violation_error_message=_("Aanmelden moet openen voordat het sluit."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(
                    # Spelled out: in SQL a CHECK on NULL passes, so "one of them empty"
                    # must be refused explicitly.
                    latitude__isnull=False,
                    longitude__isnull=False,
                    latitude__gte=-90,
                    latitude__lte=90,
                    longitude__gte=-180,
                    longitude__lte=180,
                ),
                name="event_coordinates_valid",
                violation_error_message=_(
                    "Vul de breedtegraad en de lengtegraad allebei in, of allebei niet."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=EventStatus.values), name="event_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"slug": self.slug})

    def localized(self, field: str) -> LocalizedText:
        """``title`` or ``description`` in the active language: the English text on /en/
        when staff wrote one, otherwise the Dutch text, marked as a fallback."""
        dutch = getattr(self, field)
        if not (get_language() or "").startswith("en"):
            return LocalizedText(dutch, "nl", is_fallback=False)
        english = getattr(self, f"{field}_en")
        if english:
            return LocalizedText(english, "en", is_fallback=False)
        return LocalizedText(dutch, "nl", is_fallback=bool(dutch))

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def seats_left(self) -> int:
        return max(self.capacity - self.confirmed_count, 0)

    @property
    def is_full(self) -> bool:
        return self.confirmed_count >= self.capacity

    @property
    def waitlist_places_left(self) -> int:
        return max(self.waitlist_capacity - self.waitlisted_count, 0)

    @property
    def asks_party_size(self) -> bool:
        return self.max_party_size > 1

    @property
    def accepts_waitlist(self) -> bool:
        """Full, but the waiting list has room."""
        return self.is_full and self.waitlist_places_left > 0

    @property
    def effective_registration_closes_at(self) -> datetime.datetime:
        return self.registration_closes_at or self.starts_at

    @property
    def is_called_off(self) -> bool:
        """Cancelled or postponed: it does not take place on its dates."""
        return self.status in CALLED_OFF

    def has_begun(self, *, now: datetime.datetime | None = None) -> bool:
        """The event has started. A postponed event has not, whatever its old date says:
        it has no date."""
        if self.status == EventStatus.POSTPONED:
            return False
        return (now or timezone.now()) >= self.starts_at

    @property
    def reminder_period(self) -> datetime.timedelta | None:
        """How long before the start residents are reminded; None when staff switched it off."""
        if not self.reminder_hours:
            return None
        return datetime.timedelta(hours=self.reminder_hours)

    def registration_window(self, *, now: datetime.datetime | None = None) -> RegistrationWindow:
        now = now or timezone.now()
        if self.status == EventStatus.CANCELLED:
            return RegistrationWindow.CANCELLED
        if self.status == EventStatus.POSTPONED:
            return RegistrationWindow.POSTPONED
        if now >= self.starts_at:
            return RegistrationWindow.STARTED
        if self.registration_opens_at and now < self.registration_opens_at:
            return RegistrationWindow.NOT_YET_OPEN
        if now >= self.effective_registration_closes_at:
            return RegistrationWindow.CLOSED
        return RegistrationWindow.OPEN


class StatusChange(models.Model):
    """One change of an event's status: what staff chose, why, the dates before and after,
    and how many residents were mailed. Written with the change by
    ``registrations.services.change_event_status``; the mails about it render from this
    row, so each says what was true when it was written."""

    event = models.ForeignKey(
        Event, verbose_name=_("evenement"), related_name="status_changes", on_delete=models.CASCADE
    )
    status = models.CharField(_("status"), max_length=16, choices=EventStatus.choices)
    reason = models.TextField(_("reden"))
    previous_starts_at = models.DateTimeField(_("begin ervoor"))
    previous_ends_at = models.DateTimeField(_("einde ervoor"))
    starts_at = models.DateTimeField(_("begin erna"))
    ends_at = models.DateTimeField(_("einde erna"))
    changed_at = models.DateTimeField(_("gewijzigd op"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("door"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    mailed_count = models.PositiveIntegerField(_("bewoners gemaild"), default=0)

    class Meta:
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statuswijzigingen")
        ordering = ["-changed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EventStatus.values), name="status_change_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event}: {self.get_status_display()}"
