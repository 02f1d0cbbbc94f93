from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsentRecord(models.Model):
    """Evidence of one choice about cookies: what was chosen, when, and under which version.

    Deliberately nothing that identifies a person: no IP address, no browser details, no
    account. The random receipt is also in the visitor's consent cookie, so a choice that
    a browser holds can be matched to this record, and to nothing else.
    """

    class Method(models.TextChoices):
        ACCEPT_ALL = "accept_all", _("Alles geaccepteerd")
        DECLINE_ALL = "decline_all", _("Alles geweigerd")
        PER_CATEGORY = "per_category", _("Per categorie gekozen")

    receipt = models.CharField(_("kenmerk"), max_length=32, unique=True, editable=False)
    version = models.PositiveSmallIntegerField(_("versie van de cookielijst"))
    choices = models.JSONField(
        _("keuzes"), help_text=_("Per categorie: true is toegestaan, false is geweigerd.")
    )
    method = models.CharField(_("hoe gekozen"), max_length=20, choices=Method)
    language = models.CharField(_("taal"), max_length=8)
    created_at = models.DateTimeField(_("gekozen op"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("cookiekeuze")
        verbose_name_plural = _("cookiekeuzes")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.receipt
