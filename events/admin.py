from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event
from events.templatetags.events_tags import event_datetime


class WhenFilter(admin.SimpleListFilter):
    title = _("wanneer")
    parameter_name = "when"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("upcoming", _("Komend")), ("past", _("Geweest"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Event]) -> QuerySet[Event]:
        now = timezone.now()
        if self.value() == "upcoming":
            return queryset.filter(starts_at__gt=now)
        if self.value() == "past":
            return queryset.filter(starts_at__lte=now)
        return queryset


class EventAdminForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "title",
            "slug",
            "description",
            "is_published",
            "starts_at",
            "ends_at",
            "location",
            "address",
            "latitude",
            "longitude",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
        ]

    def clean_capacity(self) -> int:
        capacity = self.cleaned_data["capacity"]
        confirmed = self.instance.confirmed_count if self.instance.pk else 0
        if capacity is not None and capacity < confirmed:
            raise forms.ValidationError(
                _(
                    "Er zijn al %(confirmed)d bevestigde aanmeldingen; het maximaal aantal "
                    "aanmeldingen kan niet lager zijn dan dat."
                ),
                params={"confirmed": confirmed},
                code="below_confirmed",
            )
        return capacity


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventAdminForm
    list_display = [
        "title",
        "begin",
        "location",
        "capacity",
        "confirmed_count",
        "is_published",
    ]
    list_filter = [WhenFilter, "is_published"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["confirmed_count", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "description", "is_published"]}),
        (
            _("Wanneer en waar"),
            {
                "fields": [
                    "starts_at",
                    "ends_at",
                    "location",
                    "address",
                    ("latitude", "longitude"),
                ]
            },
        ),
        (
            _("Aanmelden"),
            {
                "fields": [
                    "capacity",
                    "confirmed_count",
                    "registration_opens_at",
                    "registration_closes_at",
                ]
            },
        ),
        (_("Geschiedenis"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None):
        # The admin saves inside one transaction; on POST, lock the event row for it, so
        # the capacity check in the form sees the confirmed count that the save will meet
        # (sign-ups wait for the few milliseconds of the save instead of racing it).
        if request.method == "POST":
            queryset = self.get_queryset(request).select_for_update(of=("self",))
            model = queryset.model
            field = model._meta.pk if from_field is None else model._meta.get_field(from_field)
            try:
                return queryset.get(**{field.name: field.to_python(object_id)})
            except (model.DoesNotExist, ValidationError, ValueError):
                return None
        return super().get_object(request, object_id, from_field)

    @admin.display(description=_("begin"), ordering="starts_at")
    def begin(self, event: Event) -> str:
        return event_datetime(event.starts_at)

    def save_model(
        self, request: HttpRequest, obj: Event, form: forms.ModelForm, change: bool
    ) -> None:
        if not change:
            obj.save()
            return
        # Never write back the confirmed counter read when the form was loaded: sign-ups
        # may have changed it since. Only registrations.services writes it, under a lock.
        editable = [
            f.name
            for f in Event._meta.concrete_fields
            if f.editable and not f.primary_key and f.name != "confirmed_count"
        ]
        obj.save(update_fields=[*editable, "updated_at"])
