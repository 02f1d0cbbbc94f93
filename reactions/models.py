from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils.translation import gettext_lazy as _

from events.models import Event

TEXT_MAX_LENGTH = 2000
NAME_MAX_LENGTH = 80


class ReactionStatus(models.TextChoices):
    PENDING = "pending", _("wacht op beoordeling")
    APPROVED = "approved", _("gepubliceerd")
    REJECTED = "rejected", _("afgewezen")


class Reaction(models.Model):
    """A resident's reaction to an event: shown on the event page once it is approved.

    Created and moderated only through reactions.services. The e-mail address is for the
    moderators' questions and is never shown on the site.
    """

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="reactions", verbose_name=_("evenement")
    )
    name = models.CharField(_("naam"), max_length=NAME_MAX_LENGTH)
    email = models.EmailField(_("e-mailadres"), max_length=254)
    text = models.TextField(_("tekst"), max_length=TEXT_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=16, choices=ReactionStatus.choices, default=ReactionStatus.PENDING
    )
    created_at = models.DateTimeField(_("geplaatst op"), auto_now_add=True)
    moderated_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beoordeeld door"),
    )

    class Meta:
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReactionStatus.values), name="reaction_status_valid"
            ),
            # The form refuses longer texts with a message; this is the backstop.
            models.CheckConstraint(
                condition=Q(
                    GreaterThan(Length("text"), 0), LessThanOrEqual(Length("text"), TEXT_MAX_LENGTH)
                ),
                name="reaction_text_length",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReactionStatus.PENDING) | Q(moderated_at__isnull=True),
                name="reaction_pending_is_unmoderated",
            ),
        ]
        indexes = [
            # The event page's list: one event's published reactions, oldest first.
            models.Index(fields=["event", "status", "created_at"], name="reaction_event_status"),
            # The moderators' queue across all events.
            models.Index(fields=["status", "created_at"], name="reaction_status_created"),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.event}"

    @property
    def is_published(self) -> bool:
        return self.status == ReactionStatus.APPROVED


class ReactionSettings(models.Model):
    """How one event takes reactions. An event without a row takes them with moderation.

    Kept here rather than on Event so the events app never needs to know about reactions;
    staff edit it through the inline that reactions.admin adds to the event admin.
    """

    event = models.OneToOneField(
        Event,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="reaction_settings",
        verbose_name=_("evenement"),
    )
    is_open = models.BooleanField(
        _("reageren mogelijk"),
        default=True,
        help_text=_(
            "Uit: het reactieformulier verdwijnt van de pagina; bestaande reacties blijven staan."
        ),
    )
    is_moderated = models.BooleanField(
        _("reacties eerst beoordelen"),
        default=True,
        help_text=_(
            "Aan: een nieuwe reactie verschijnt pas nadat een medewerker hem heeft goedgekeurd. "
            "Uit: een nieuwe reactie verschijnt meteen."
        ),
    )

    class Meta:
        verbose_name = _("instellingen voor reacties")
        verbose_name_plural = _("instellingen voor reacties")

    def __str__(self) -> str:
        return str(self.event)
