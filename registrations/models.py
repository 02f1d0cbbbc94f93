from __future__ import annotations

import secrets

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
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
    email = models.EmailField(_("e-mailadres"), max_length=254)
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
    # Set when the name and e-mail address were erased (retention period over, or the
    # resident asked). The row stays, so the event's counts stay right.
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["created_at", "pk"]
        constraints = [
            # One active registration per event and e-mail address, in any letter case.
            models.UniqueConstraint(
                "event",
                Lower("email"),
                condition=~Q(status=RegistrationStatus.CANCELLED),
                name="registration_one_active_per_email",
                violation_error_message=_("Dit e-mailadres is al aangemeld voor dit evenement."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values),
                name="registration_status_valid",
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
