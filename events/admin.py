from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html
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


class FullFilter(admin.SimpleListFilter):
    title = _("plaatsen")
    parameter_name = "seats"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("full", _("Vol")), ("available", _("Nog plaats"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Event]) -> QuerySet[Event]:
        if self.value() == "full":
            return queryset.filter(confirmed_count__gte=F("capacity"))
        if self.value() == "available":
            return queryset.filter(confirmed_count__lt=F("capacity"))
        return queryset


# The years an event's dates may have. Far outside them every date is a typing error, and
# near the ends of the calendar one breaks things for everyone: a time just after midnight
# on 1 January of year 1 in Amsterdam is a date BC in UTC, which PostgreSQL stores but
# Python cannot read back (the admin's event list answered 500 after such a save), and an
# end in the year 9998 overflowed the calendar feed.
FIRST_YEAR, LAST_YEAR = 1900, 2999
DATE_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")


def validate_event_year(value) -> None:
    """The date as staff typed it (local time) lies within FIRST_YEAR … LAST_YEAR."""
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Vul een datum in tussen %(first)d en %(last)d."),
            code="year_out_of_range",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )


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
            "waitlist_capacity",
            "registration_opens_at",
            "registration_closes_at",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in DATE_FIELDS:
            if name in self.fields:
                self.fields[name].validators.append(validate_event_year)

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


class EventAdmin(admin.ModelAdmin):
    """The event's own fields, filters and columns. Not registered here: the backoffice app
    registers one event admin built from this and the other apps' mixins and inlines."""

    form = EventAdminForm
    list_display = [
        "title",
        "begin",
        "location",
        "seats",
        "confirmed",
        "waiting",
        "seats_left_column",
        "published",
        "public_link",
    ]
    list_filter = [WhenFilter, "is_published", FullFilter]
    search_fields = ["title"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["confirmed_count", "waitlisted_count", "created_at", "updated_at"]
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
                    "waitlist_capacity",
                    "waitlisted_count",
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
            # The plain manager: changelist annotations (aggregates) cannot be locked.
            queryset = self.model._default_manager.select_for_update(of=("self",))
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

    # Short column titles, so the list fits next to the admin's side bar.
    @admin.display(description=_("plaatsen"), ordering="capacity")
    def seats(self, event: Event) -> int:
        return event.capacity

    @admin.display(description=_("bevestigd"), ordering="confirmed_count")
    def confirmed(self, event: Event) -> int:
        return event.confirmed_count

    @admin.display(description=_("wachtlijst"), ordering="waitlisted_count")
    def waiting(self, event: Event) -> int:
        return event.waitlisted_count

    @admin.display(description=_("vrij"))
    def seats_left_column(self, event: Event) -> int:
        return event.seats_left

    @admin.display(description=_("gepubliceerd"), boolean=True, ordering="is_published")
    def published(self, event: Event) -> bool:
        return event.is_published

    @admin.display(description=_("website"))
    def public_link(self, event: Event) -> str:
        if not event.is_published:
            return "–"
        return format_html('<a href="{}">{}</a>', event.get_absolute_url(), _("bekijken"))

    def save_model(
        self, request: HttpRequest, obj: Event, form: forms.ModelForm, change: bool
    ) -> None:
        if not change:
            obj.save()
            return
        # Never write back the confirmed counter read when the form was loaded: sign-ups
        # may have changed it since. Only registrations.services writes it, under a lock.
        editable = [f.name for f in Event._meta.concrete_fields if f.editable and not f.primary_key]
        obj.save(update_fields=[*editable, "updated_at"])
