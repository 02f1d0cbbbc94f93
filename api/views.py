"""The public API: published events, read-only, open to every origin, rate limited.

Filters are the event list's (events/filters.py): the same names, the same meaning.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework import generics, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from api.serializers import (
    AreaSerializer,
    ErrorSerializer,
    EventSerializer,
    FilterErrorSerializer,
    ThemeSerializer,
)
from events.filters import MAX_QUERY_LENGTH, MONTH, WEEK, EventFilterForm, filter_events
from events.models import Area, Event, Theme

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")
SLUG_PATTERN = "^[-a-zA-Z0-9_]+$"
# ISO dates in the years the form accepts (events/filters.py: FIRST_YEAR, LAST_YEAR).
DATE_PATTERN = "^(19[0-9]{2}|2[0-9]{3})-[0-9]{2}-[0-9]{2}$"


class OpenToEveryOrigin:
    """CORS for public, anonymous data: any site's script may read it (no credentials,
    no cookies, so ``*`` is safe), and the limits and errors are readable too."""

    def finalize_response(self, request: Request, response: Response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "Retry-After"
        return response


class FilterError(Exception):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors


class Pagination(PageNumberPagination):
    """``?page=2&page_size=20``: 50 a page unless asked, at most 100. A page or page size
    that is not a whole number in range is a 400 (DRF would quietly use the default); a
    page past the last is a 404."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request: Request) -> int:
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not (value.isascii() and value.isdigit() and 1 <= int(value) <= self.max_page_size):
            raise FilterError(
                {self.page_size_query_param: [f"A whole number from 1 to {self.max_page_size}."]}
            )
        return int(value)

    def get_page_number(self, request: Request, paginator) -> int:
        value = request.query_params.get(self.page_query_param)
        if value is None:
            return 1
        if not (value.isascii() and value.isdigit() and int(value) >= 1):
            raise FilterError({self.page_query_param: ["A whole number from 1."]})
        return int(value)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update({"minimum": 1, "maximum": self.max_page_size})
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters


class ApiFilterForm(EventFilterForm):
    """The list page's filters, read as an API reads them: an unknown area or theme, or a
    period that ends before it starts, selects nothing (an empty page), not an error. A
    value of the wrong shape (a date that is none, an unknown period) is a 400."""

    wijk = forms.SlugField(required=False, max_length=100)
    thema = forms.SlugField(required=False, max_length=100)
    vrij = forms.TypedChoiceField(
        choices=[(value, value) for value in ("true", "false", "1", "0")],
        coerce=lambda value: value in ("true", "1"),
        required=False,
        empty_value=False,
    )

    # The site's form sends every field, empty ones too; an API client leaves one out.
    NOT_EMPTY = ("wijk", "thema", "periode", "van", "tot", "vrij")

    def clean(self) -> dict[str, Any]:
        for name in self.NOT_EMPTY:
            if name in self.data and not self.data[name].strip():
                self.add_error(name, "Leave the parameter out, or give it a value.")
        return self.cleaned_data


ERRORS = {
    400: FilterErrorSerializer,
    404: ErrorSerializer,
    429: ErrorSerializer,
}
FILTER_PARAMETERS = [
    OpenApiParameter(
        "q",
        # No control characters (the form refuses them); at most the form's length.
        {"type": "string", "maxLength": MAX_QUERY_LENGTH, "pattern": "^[^\\x00-\\x1f\\x7f]*$"},
        description="Words in the title or description (Dutch full-text search).",
    ),
    OpenApiParameter(
        "wijk",
        {"type": "string", "pattern": SLUG_PATTERN, "maxLength": 100},
        description="An area's slug (see /api/v1/areas/); an unknown one selects nothing.",
    ),
    OpenApiParameter(
        "thema",
        {"type": "string", "pattern": SLUG_PATTERN, "maxLength": 100},
        description="A theme's slug (see /api/v1/themes/); an unknown one selects nothing.",
    ),
    OpenApiParameter(
        "periode",
        str,
        enum=[WEEK, MONTH],
        description="This week (until Sunday night) or this month, Amsterdam time.",
    ),
    OpenApiParameter(
        "van",
        {"type": "string", "format": "date", "pattern": DATE_PATTERN},
        description="Starting on or after this day (years 1900 to 2999).",
    ),
    OpenApiParameter(
        "tot",
        {"type": "string", "format": "date", "pattern": DATE_PATTERN},
        description="Starting on or before this day; before `van`, nothing is selected.",
    ),
    OpenApiParameter(
        "vrij",
        {"type": "string", "enum": ["true", "false", "1", "0"]},
        description="Only events with seats left, where signing up is still possible.",
    ),
]


class EventList(OpenToEveryOrigin, generics.ListAPIView):
    serializer_class = EventSerializer
    pagination_class = Pagination

    @extend_schema(
        summary="Upcoming published events, soonest first",
        parameters=FILTER_PARAMETERS,
        responses={200: EventSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        try:
            return super().get(request, *args, **kwargs)
        except FilterError as error:
            return Response({"errors": error.errors}, status=status.HTTP_400_BAD_REQUEST)

    def get_queryset(self) -> QuerySet[Event]:
        form = ApiFilterForm(self.request.query_params)
        if not form.is_valid():
            raise FilterError({name: list(messages) for name, messages in form.errors.items()})
        events = Event.objects.published().upcoming().with_topics()
        return filter_events(events, form.filters())


class EventDetail(OpenToEveryOrigin, generics.RetrieveAPIView):
    serializer_class = EventSerializer
    lookup_field = "slug"
    queryset = Event.objects.published().with_topics()

    @extend_schema(
        summary="One published event, with its seats left",
        responses={200: EventSerializer, 404: ErrorSerializer, 429: ErrorSerializer},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_object(self) -> Event:
        # A slug no event can have (a NUL byte, which PostgreSQL refuses) is not found.
        if not SLUG.fullmatch(self.kwargs["slug"]):
            raise Http404
        return super().get_object()


class AreaList(OpenToEveryOrigin, generics.ListAPIView):
    serializer_class = AreaSerializer
    queryset = Area.objects.all()
    pagination_class = None

    @extend_schema(
        summary="Every area (wijk)",
        responses={200: AreaSerializer(many=True), 429: ErrorSerializer},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ThemeList(OpenToEveryOrigin, generics.ListAPIView):
    serializer_class = ThemeSerializer
    queryset = Theme.objects.all()
    pagination_class = None

    @extend_schema(
        summary="Every theme", responses={200: ThemeSerializer(many=True), 429: ErrorSerializer}
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class OpenApiDocument(OpenToEveryOrigin, SpectacularJSONAPIView):
    """The OpenAPI 3 document of this API."""
