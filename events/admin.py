import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers, widgets
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from events import services
from events.models import Area, Event, EventStatus, Series, Theme
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
            "title_en",
            "description_en",
            "is_published",
            "area",
            "themes",
            "series",
            "starts_at",
            "ends_at",
            "location",
            "address",
            "latitude",
            "longitude",
            "capacity",
            "waitlist_capacity",
            "max_party_size",
            "registration_opens_at",
            "registration_closes_at",
            "reminder_hours",
        ]

        widgets = {"themes": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in DATE_FIELDS:
            if name in self.fields:
                self.fields[name].validators.append(validate_event_year)

    def clean(self) -> dict:
        cleaned = super().clean()
        # Moving an event that people signed up for is "Status wijzigen" → verplaatst: that
        # mails them, with the new date for their calendar. A silent edit here would not.
        instance = self.instance
        signed_up = instance.pk and (instance.confirmed_count or instance.waitlisted_count)
        if signed_up:
            for name in ("starts_at", "ends_at"):
                if name in self.changed_data and name not in self.errors:
                    self.add_error(
                        name,
                        forms.ValidationError(
                            _(
                                "Er zijn al aanmeldingen. Verplaats het evenement met "
                                "“Status wijzigen” (rechtsboven): dan krijgt iedereen die "
                                "zich heeft aangemeld bericht, met de nieuwe datum."
                            ),
                            code="moved_with_registrations",
                        ),
                    )
        return cleaned

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


# Changes a calendar must pick up (iCalendar's SEQUENCE goes up).
CALENDAR_FIELDS = {"title", "starts_at", "ends_at", "location", "address"}


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
    list_filter = [WhenFilter, "is_published", "status", FullFilter, "area", "themes", "series"]
    search_fields = ["title", "title_en"]
    autocomplete_fields = ["series"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = [
        "status_line",
        "confirmed_count",
        "waitlisted_count",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "description", "is_published", "status_line"]}),
        (_("Wijk, thema's en reeks"), {"fields": ["area", "themes", "series"]}),
        (
            _("Engelse tekst (niet verplicht)"),
            {
                "fields": ["title_en", "description_en"],
                "description": _(
                    "De Engelse site (/en/) toont deze tekst. Leeg: daar staat de "
                    "Nederlandse tekst, met een melding dat er nog geen Engelse is."
                ),
            },
        ),
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
                    "max_party_size",
                    "registration_opens_at",
                    "registration_closes_at",
                    "reminder_hours",
                ]
            },
        ),
        (_("Geschiedenis"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    # --- a further date of a series ------------------------------------------------------

    def get_urls(self):
        own = [
            path(
                "<int:object_id>/reeks/datum-toevoegen/",
                self.admin_site.admin_view(self.add_series_date_view),
                name="events_event_add_series_date",
            )
        ]
        return own + super().get_urls()

    def add_series_date_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """ "Datum toevoegen aan deze reeks": a copy of this event at a new time and place,
        in the same series (see events.services.add_series_date)."""
        event = get_object_or_404(Event.objects.select_related("series"), pk=object_id)
        if not (self.has_add_permission(request) and self.has_view_permission(request, event)):
            raise PermissionDenied
        if request.method == "POST":
            form = SeriesDateForm(request.POST)
            if form.is_valid():
                new = services.add_series_date(event=event, **form.cleaned_data)
                self.log_addition(request, new, _("Datum toegevoegd aan een reeks."))
                self.message_user(
                    request,
                    _("Nieuwe datum toegevoegd aan de reeks “%(series)s”: %(when)s.")
                    % {"series": new.series.title, "when": event_datetime(new.starts_at)}
                    + (
                        ""
                        if new.is_published
                        else " " + str(_("Controleer de gegevens en publiceer het evenement."))
                    ),
                    messages.SUCCESS,
                )
                return redirect("admin:events_event_change", new.pk)
        else:
            form = SeriesDateForm(initial=SeriesDateForm.initial_from(event))
        admin_form = helpers.AdminForm(
            form, [(None, {"fields": list(SeriesDateForm.base_fields)})], {}, model_admin=self
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Datum toevoegen aan deze reeks"),
            "event": event,
            "adminform": admin_form,
            "form": form,
            "errors": helpers.AdminErrorList(form, []),
            "media": self.media + form.media,
            "opts": self.opts,
        }
        return TemplateResponse(request, "admin/events/event/add_series_date.html", context)

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

    @admin.display(description=_("status"))
    def status_line(self, event: Event) -> str:
        """ "Gepland", or "Afgelast: <reason>"; changed with "Status wijzigen" (top right),
        which mails everyone signed up."""
        if event.status == EventStatus.SCHEDULED:
            return event.get_status_display().capitalize()
        return f"{event.get_status_display().capitalize()}: {event.status_reason}"

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
        extra = ["updated_at"]
        if CALENDAR_FIELDS & set(form.changed_data):
            # A calendar that has the event replaces it with a higher SEQUENCE. The row is
            # locked for this save (get_object), so the value read is the current one.
            obj.sequence += 1
            extra.append("sequence")
        obj.save(update_fields=[*editable, *extra])


class SeriesDateForm(forms.Form):
    """A further date of a series: when and where; the rest is copied from the event."""

    starts_at = forms.SplitDateTimeField(label=_("begin"), widget=widgets.AdminSplitDateTime)
    ends_at = forms.SplitDateTimeField(label=_("einde"), widget=widgets.AdminSplitDateTime)
    location = forms.CharField(
        label=_("locatie"),
        max_length=200,
        widget=widgets.AdminTextInputWidget,
        help_text=_("Naam van de plek."),
    )
    address = forms.CharField(
        label=_("adres"), max_length=300, required=False, widget=widgets.AdminTextInputWidget
    )
    latitude = Event._meta.get_field("latitude").formfield()
    longitude = Event._meta.get_field("longitude").formfield()
    area = forms.ModelChoiceField(
        label=_("wijk"), queryset=Area.objects.all(), required=False, empty_label=_("(geen)")
    )
    is_published = forms.BooleanField(
        label=_("meteen publiceren"),
        required=False,
        help_text=_("Niet aangevinkt: de nieuwe datum staat klaar, maar is nog niet op de site."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name].validators.append(validate_event_year)

    @staticmethod
    def initial_from(event: Event) -> dict:
        """The event's own place and times, a week later: usually only the day changes."""
        week = datetime.timedelta(days=7)
        return {
            "starts_at": timezone.localtime(event.starts_at + week),
            "ends_at": timezone.localtime(event.ends_at + week),
            "location": event.location,
            "address": event.address,
            "latitude": event.latitude,
            "longitude": event.longitude,
            "area": event.area_id,
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("Het einde moet na het begin liggen."))
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            self.add_error(
                "longitude", _("Vul de breedtegraad en de lengtegraad allebei in, of allebei niet.")
            )
        return cleaned


class ThemeAdmin(admin.ModelAdmin):
    """Themes residents filter on. Registered by the backoffice app."""

    list_display = ["name", "name_en", "slug", "event_count"]
    search_fields = ["name", "name_en"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Theme]:
        return super().get_queryset(request).annotate(event_count=Count("events"))

    @admin.display(description=_("evenementen"), ordering="event_count")
    def event_count(self, theme: Theme) -> int:
        return theme.event_count


class AreaAdmin(admin.ModelAdmin):
    """Wijken and buurten residents filter on. Registered by the backoffice app."""

    list_display = ["name", "slug", "event_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Area]:
        return super().get_queryset(request).annotate(event_count=Count("events"))

    @admin.display(description=_("evenementen"), ordering="event_count")
    def event_count(self, area: Area) -> int:
        return area.event_count


class SeriesEventInline(admin.TabularInline):
    """The dates of a series, read-only, each linking to its own event page."""

    model = Event
    fields = ["starts_at", "location", "area", "capacity", "confirmed_count", "is_published"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = True
    verbose_name = _("datum")
    verbose_name_plural = _("data in deze reeks")
    ordering = ["starts_at", "pk"]

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class SeriesAdmin(admin.ModelAdmin):
    """Series of dates. A further date is added from one of its events ("Datum toevoegen
    aan deze reeks" on the event's page). Registered by the backoffice app."""

    list_display = ["title", "date_count"]
    search_fields = ["title"]
    inlines = [SeriesEventInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Series]:
        return super().get_queryset(request).annotate(date_count=Count("events"))

    @admin.display(description=_("aantal data"), ordering="date_count")
    def date_count(self, series: Series) -> int:
        return series.date_count
