from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event


def new_token() -> str:
    """An unguessable secret for the resident's personal link (256 bits)."""
    return secrets.token_urlsafe(32)


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("bevestigd")
    WAITLISTED = "waitlisted", _("wachtlijst")
    CANCELLED = "cancelled", _("geannuleerd")


ACTIVE_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


class Registration(models.Model):
    """A resident's sign-up for an event.

    Created and changed only through registrations.services, which keeps
    ``Event.confirmed_count`` in step under the event's row lock.
    """

    event = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("evenement"),
    )
    name = models.CharField(_("naam"), max_length=200)
    # Blank only for a sign-up that staff took at the desk or on the phone from someone
    # without an e-mail address: nothing is mailed then.
    email = models.EmailField(_("e-mailadres"), max_length=254, blank=True)
    # Persons this registration brings, the resident included (Event.max_party_size).
    party_size = models.PositiveSmallIntegerField(_("aantal personen"), default=1)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.CONFIRMED,
    )
    token = models.CharField(
        _("persoonlijke sleutel"), max_length=64, unique=True, default=new_token, editable=False
    )
    # The language the resident signed up in; their e-mails are written in it.
    language = models.CharField(_("taal"), max_length=8, default="nl", editable=False)
    created_at = models.DateTimeField(_("aangemeld op"), auto_now_add=True)
    promoted_at = models.DateTimeField(_("van de wachtlijst gehaald op"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("geannuleerd op"), null=True, blank=True)
    attended = models.BooleanField(_("aanwezig"), default=False)
    # When the reminder before the event went out (or was not needed: the mail about a
    # move into the reminder period served as one). Set in the same transaction as the
    # reminder's task row, and only where it is still empty, so each registration is
    # reminded once per date however many `send_reminders` run at once
    # (registrations.services.send_due_reminders).
    reminded_at = models.DateTimeField(
        _("herinnering verstuurd op"), null=True, blank=True, editable=False
    )
    # Set when the name and e-mail address were erased (retention period over, or the
    # resident asked). The row stays, so the event's counts stay right.
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["created_at", "pk"]
        constraints = [
            # One active registration per event and e-mail address, in any letter case
            # (desk sign-ups without an address are not counted as duplicates).
            models.UniqueConstraint(
                "event",
                Lower("email"),
                condition=~Q(status=RegistrationStatus.CANCELLED) & ~Q(email=""),
                name="registration_one_active_per_email",
                violation_error_message=_("Dit e-mailadres is al aangemeld voor dit evenement."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values),
                name="registration_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(party_size__gte=1),
                name="registration_party_size_positive",
            ),
            models.CheckConstraint(
                condition=Q(status=RegistrationStatus.CANCELLED, cancelled_at__isnull=False)
                | (~Q(status=RegistrationStatus.CANCELLED) & Q(cancelled_at__isnull=True)),
                name="registration_cancelled_at_iff_cancelled",
            ),
        ]
        indexes = [models.Index(fields=["event", "status"], name="registration_event_status")]

    def __str__(self) -> str:
        return f"{self.name} – {self.event}"

    def get_absolute_url(self) -> str:
        return reverse("registrations:detail", kwargs={"token": self.token})

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("korte tekst")
    LONG_TEXT = "long_text", _("lange tekst")
    CHOICE = "choice", _("één keuze")
    CHOICES = "choices", _("meerdere keuzes")
    YES_NO = "yes_no", _("ja/nee")


CHOICE_KINDS = (QuestionKind.CHOICE, QuestionKind.CHOICES)


class Question(models.Model):
    """A question staff add to an event's sign-up form (registrations.questions builds
    the form fields; answers are ``Answer`` rows).

    Once a question has answers, its kind, texts and options are fixed (the admin makes
    them read-only) and it can only be hidden: the answers keep their meaning.
    """

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="questions", verbose_name=_("evenement")
    )
    kind = models.CharField(_("soort"), max_length=16, choices=QuestionKind.choices)
    text = models.CharField(_("vraag"), max_length=300)
    text_en = models.CharField(_("vraag (Engels)"), max_length=300, blank=True)
    help_text = models.CharField(_("toelichting"), max_length=300, blank=True)
    help_text_en = models.CharField(_("toelichting (Engels)"), max_length=300, blank=True)
    options = models.TextField(
        _("keuzes"),
        blank=True,
        help_text=_(
            "Alleen bij één of meerdere keuzes: één keuze per regel. Een Engelse vertaling "
            "achter een verticale streep, bijvoorbeeld: Vegetarisch | Vegetarian"
        ),
    )
    is_required = models.BooleanField(_("verplicht"), default=False)
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    is_hidden = models.BooleanField(
        _("verborgen"),
        default=False,
        help_text=_("Niet meer op het formulier; gegeven antwoorden blijven bewaard."),
    )
    special_category_confirmed = models.BooleanField(
        _("bijzonder persoonsgegeven: nodig voor dit evenement"),
        default=False,
        help_text=_(
            "Alleen aanvinken als de vraag naar gezondheid, geloof, afkomst of een ander "
            "bijzonder persoonsgegeven vraagt en het evenement dat echt nodig heeft."
        ),
    )

    class Meta:
        verbose_name = _("vraag")
        verbose_name_plural = _("vragen")
        ordering = ["event", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=QuestionKind.values), name="question_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def option_pairs(self) -> list[tuple[str, str]]:
        """``[(dutch, english), ...]``; the Dutch text is what an answer stores."""
        pairs = []
        for line in self.options.splitlines():
            dutch, _bar, english = line.partition("|")
            dutch, english = dutch.strip(), english.strip()
            if dutch:
                pairs.append((dutch, english or dutch))
        return pairs


class Answer(models.Model):
    """One registration's answer to one question. ``value`` is text; for several choices
    a list of the chosen options' Dutch texts; for yes/no ``true`` or ``false``."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.JSONField(_("antwoord"))

    class Meta:
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "question"], name="answer_one_per_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"


class MessageAudience(models.TextChoices):
    CONFIRMED = "confirmed", _("aangemeld")
    WAITLISTED = "waitlisted", _("op de wachtlijst")
    BOTH = "both", _("aangemeld en op de wachtlijst")


AUDIENCE_STATUSES = {
    MessageAudience.CONFIRMED: (RegistrationStatus.CONFIRMED,),
    MessageAudience.WAITLISTED: (RegistrationStatus.WAITLISTED,),
    MessageAudience.BOTH: ACTIVE_STATUSES,
}


class Message(models.Model):
    """A message staff sent to an event's registrants ("Bericht aan aanmelders"): who
    sent it, when, to whom (the audience, never a list of people) and to how many. One
    mail per resident went out through the outbox (registrations.services.send_message).

    The subject and body are the staff's own text and may name someone, so they go with
    the event's personal data: ``purge_personal_data`` erases them (``erased_at``) when
    it anonymises the event's registrations; who, when, the audience and the counts stay.
    """

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="messages", verbose_name=_("evenement")
    )
    audience = models.CharField(_("aan"), max_length=16, choices=MessageAudience.choices)
    subject = models.CharField(_("onderwerp"), max_length=150)
    body = models.TextField(_("bericht"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verstuurd door"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    sent_at = models.DateTimeField(_("verstuurd op"), default=timezone.now)
    mailed_count = models.PositiveIntegerField(_("gemaild"), default=0)
    without_email_count = models.PositiveIntegerField(_("zonder e-mailadres"), default=0)
    # The compose form's own key: the same form sent twice (a double click, the back
    # button) is one message.
    key = models.UUIDField(unique=True, editable=False)
    erased_at = models.DateTimeField(_("tekst gewist op"), null=True, blank=True)

    class Meta:
        verbose_name = _("bericht aan aanmelders")
        verbose_name_plural = _("berichten aan aanmelders")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience__in=MessageAudience.values), name="message_audience_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject or '–'} ({self.event})"
