from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.templatetags.events_tags import event_datetime
from reactions import services
from reactions.models import Reaction, ReactionSettings, ReactionStatus


class ReactionSettingsInline(admin.StackedInline):
    """Reactions open or closed, moderated or not, on the event's own admin page.

    An event without settings takes reactions with moderation; the inline's defaults say
    the same, so saving an event without touching them writes no row.
    """

    model = ReactionSettings
    fields = ["is_open", "is_moderated"]
    extra = 1
    max_num = 1
    can_delete = False
    verbose_name = _("reacties")
    verbose_name_plural = _("reacties")


class StatusFilter(admin.SimpleListFilter):
    """By status, starting with the moderators' queue: reactions waiting for review."""

    title = _("status")
    parameter_name = "status"
    ALL = "all"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [
            *((value, capfirst(label)) for value, label in ReactionStatus.choices),
            (self.ALL, _("Alle")),
        ]

    def choices(self, changelist):
        current = self.value() or ReactionStatus.PENDING
        counts = self.get_facet_queryset(changelist) if changelist.add_facets else None
        for index, (value, label) in enumerate(self.lookup_choices):
            if counts is not None:
                label = f"{label} ({counts[f'{index}__c']})"
            yield {
                "selected": current == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request: HttpRequest, queryset: QuerySet[Reaction]) -> QuerySet[Reaction]:
        value = self.value() or ReactionStatus.PENDING
        if value == self.ALL:
            return queryset
        if value not in ReactionStatus.values:
            return queryset.none()
        return queryset.filter(status=value)


class ReactionAdmin(admin.ModelAdmin):
    """The moderators' view: by default the reactions waiting for review, across events.

    Exported, not registered: the backoffice app registers it, and adds
    ``ReactionSettingsInline`` to the one event admin.
    """

    list_display = ["short_text", "name", "event", "placed", "status"]
    list_display_links = ["short_text"]
    list_filter = [StatusFilter, ("event", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["text", "name", "email", "event__title"]
    list_select_related = ["event"]
    ordering = ["created_at", "pk"]
    actions = ["approve", "reject"]
    fields = [
        "event",
        "text",
        "name",
        "email",
        "status",
        "created_at",
        "moderated_at",
        "moderated_by",
    ]
    # Read-only: moderation goes through the actions, which call the service.
    readonly_fields = fields

    @admin.display(description=_("reactie"))
    def short_text(self, reaction: Reaction) -> str:
        return Truncator(reaction.text).chars(120)

    @admin.display(description=_("geplaatst op"), ordering="created_at")
    def placed(self, reaction: Reaction) -> str:
        return event_datetime(reaction.created_at)

    @admin.action(description=_("Geselecteerde reacties goedkeuren"), permissions=["change"])
    def approve(self, request: HttpRequest, queryset: QuerySet[Reaction]) -> None:
        changed = services.reactions_approve(
            reaction_ids=queryset.values_list("pk", flat=True), moderator=request.user
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d reactie goedgekeurd; die staat nu op de pagina van het evenement.",
                "%(count)d reacties goedgekeurd; die staan nu op de pagina van het evenement.",
                changed,
            )
            % {"count": changed},
            messages.SUCCESS,
        )

    @admin.action(description=_("Geselecteerde reacties afwijzen"), permissions=["change"])
    def reject(self, request: HttpRequest, queryset: QuerySet[Reaction]) -> None:
        changed = services.reactions_reject(
            reaction_ids=queryset.values_list("pk", flat=True), moderator=request.user
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d reactie afgewezen; die staat niet op de site.",
                "%(count)d reacties afgewezen; die staan niet op de site.",
                changed,
            )
            % {"count": changed},
            messages.SUCCESS,
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: Reaction, form: forms.ModelForm, change: bool
    ) -> None:
        """Do nothing: every field is read-only, and a plain save() would write back the
        status as loaded over a moderation made meanwhile. Moderation goes through the
        actions."""
