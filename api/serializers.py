"""What the API says about an event: the public page's facts, never a person."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from events.models import Area, Event, EventStatus, RegistrationWindow, Series, Theme

# A registration state a client can show at a glance (the site's own status line).
REGISTRATION_STATES = [
    "not_yet_open",
    "open",
    "waitlist",
    "full",
    "closed",
    "started",
    "cancelled",
    "postponed",
]


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ["slug", "name"]


class ThemeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Theme
        fields = ["slug", "name", "name_en"]


class SeriesSerializer(serializers.ModelSerializer):
    class Meta:
        model = Series
        fields = ["id", "title"]


class EventSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The event's page on the site.")
    ics_url = serializers.SerializerMethodField(help_text="The event as an .ics file.")
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, coerce_to_string=False, allow_null=True, read_only=True
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, coerce_to_string=False, allow_null=True, read_only=True
    )
    area = AreaSerializer(read_only=True, allow_null=True)
    themes = ThemeSerializer(many=True, read_only=True)
    series = SeriesSerializer(read_only=True, allow_null=True)
    seats_left = serializers.IntegerField(read_only=True, min_value=0)
    is_full = serializers.BooleanField(read_only=True)
    registration_state = serializers.SerializerMethodField()
    status = serializers.ChoiceField(
        choices=EventStatus.values,
        read_only=True,
        help_text="schema.org's eventStatus: scheduled, cancelled, postponed, rescheduled.",
    )
    status_reason = serializers.CharField(
        read_only=True, help_text="Why the event was cancelled, postponed or moved (Dutch)."
    )
    previous_starts_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="The begin before the event was last moved."
    )

    class Meta:
        model = Event
        fields = [
            "slug",
            "url",
            "ics_url",
            "title",
            "title_en",
            "description",
            "description_en",
            "starts_at",
            "ends_at",
            "location",
            "address",
            "latitude",
            "longitude",
            "area",
            "themes",
            "series",
            "capacity",
            "seats_left",
            "is_full",
            "registration_state",
            "status",
            "status_reason",
            "previous_starts_at",
            "registration_opens_at",
            "registration_closes_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, event: Event) -> str:
        return settings.SITE_URL + event.get_absolute_url()

    @extend_schema_field(OpenApiTypes.URI)
    def get_ics_url(self, event: Event) -> str:
        return settings.SITE_URL + reverse("events:ics", kwargs={"slug": event.slug})

    @extend_schema_field({"type": "string", "enum": REGISTRATION_STATES})
    def get_registration_state(self, event: Event) -> str:
        window = event.registration_window()
        if window is RegistrationWindow.OPEN and event.is_full:
            return "waitlist" if event.accepts_waitlist else "full"
        return str(window)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class FilterErrorSerializer(serializers.Serializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Per query parameter, what is wrong with it.",
    )
