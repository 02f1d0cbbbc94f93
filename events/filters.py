"""Finding events: the filter form and the one function that applies it.

The event list, its feeds (.ics and Atom), the embed and the public API all filter through
``filter_events``, with the same query parameters, so a filtered list's address works for
each of them:

    ?wijk=noord&thema=veiligheid&periode=week&van=2025-03-01&tot=2025-03-31&q=energie&vrij=1

Every filter narrows the list (they combine with AND). Each costs the same number of
queries however many events there are: a few look-ups of the chosen area and theme, and
the search is part of the list's own query.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections
from django.db.models import F, Q, QuerySet
from django.forms.models import ModelChoiceIterator
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.validators import has_control_characters
from events.models import CALLED_OFF, Area, Event, Theme

# The names in the address bar, the API and the feeds.
PARAMETERS = ("q", "wijk", "thema", "periode", "van", "tot", "vrij")
WEEK, MONTH = "week", "maand"
# Far outside these every date is a typing error (and year 1 or 9999 cannot be turned
# into local midnight): the same bounds as the admin's event dates.
FIRST_YEAR, LAST_YEAR = 1900, 2999
MAX_QUERY_LENGTH = 100


class ListedChoices(ModelChoiceIterator):
    """The choices from the rows the field listed (``ListedModelChoiceField.listed``), so
    whoever looked at them first (the key of the form's remembered HTML) and the render
    share one query."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.listed:
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose rows are read once per form (``listed``)."""

    iterator = ListedChoices

    @cached_property
    def listed(self) -> list:
        return list(self.queryset)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.__dict__.pop("listed", None)  # each form reads its own rows
        return result


class ThemeChoiceField(ListedModelChoiceField):
    def label_from_instance(self, obj: Theme) -> str:
        return obj.localized_name


class EventFilterForm(forms.Form):
    """The filter form above the event list: GET, bookmarkable, without JavaScript."""

    q = forms.CharField(
        label=_("Zoek op woord"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    wijk = ListedModelChoiceField(
        label=_("Wijk"),
        queryset=Area.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Alle wijken"),
        error_messages={"invalid_choice": _("Deze wijk bestaat niet (meer). Kies een wijk.")},
    )
    thema = ThemeChoiceField(
        label=_("Thema"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Alle thema's"),
        error_messages={"invalid_choice": _("Dit thema bestaat niet (meer). Kies een thema.")},
    )
    periode = forms.ChoiceField(
        label=_("Wanneer"),
        required=False,
        choices=[("", _("Alle datums")), (WEEK, _("Deze week")), (MONTH, _("Deze maand"))],
        error_messages={"invalid_choice": _("Kies deze week, deze maand of alle datums.")},
    )
    van = forms.DateField(
        label=_("Vanaf datum"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Vul een datum in, zoals 31-12-2025.")},
    )
    tot = forms.DateField(
        label=_("Tot en met datum"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Vul een datum in, zoals 31-12-2025.")},
    )
    vrij = forms.BooleanField(label=_("Alleen met plaatsen vrij"), required=False)

    # Every filter may be left empty: the template pack leaves out "(niet verplicht)".
    all_fields_optional = True

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Accept the HTML date input's ISO form and the Dutch way of writing a date.
        for name in ("van", "tot"):
            self.fields[name].input_formats = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_id = "filters"
        self.helper.form_class = "filter-form"
        self.helper.attrs = {"role": "search", "aria-label": _("Evenementen zoeken")}
        self.helper.add_input(Submit("", _("Toon evenementen"), css_id="filter-submit"))

    def clean_q(self) -> str:
        query = " ".join(self.cleaned_data["q"].split())
        if has_control_characters(query):
            raise forms.ValidationError(_("De zoekterm bevat tekens die we niet kunnen gebruiken."))
        return query

    def _clean_date(self, name: str) -> datetime.date | None:
        value = self.cleaned_data[name]
        if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise forms.ValidationError(
                _("Vul een datum in tussen %(first)d en %(last)d."),
                params={"first": FIRST_YEAR, "last": LAST_YEAR},
            )
        return value

    def clean_van(self) -> datetime.date | None:
        return self._clean_date("van")

    def clean_tot(self) -> datetime.date | None:
        return self._clean_date("tot")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        van, tot = cleaned.get("van"), cleaned.get("tot")
        if van and tot and tot < van:
            self.add_error("tot", _("Deze datum ligt voor de vanaf-datum."))
        return cleaned

    def filters(self) -> dict[str, Any]:
        """The valid filters that were chosen; a field with an error is left out, so a
        stale bookmark still shows a list (with the error above it)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name: cleaned[name]
            for name in PARAMETERS
            if name not in self.errors and cleaned.get(name) not in (None, "", False)
        }

    def empty_form_key(self, params: Mapping[str, Any]) -> tuple | None:
        """The key under which this form's HTML may be remembered (core.formhtml), or None.

        Only when ``params`` choose no filter at all: the form then shows nothing of the
        visitor's, and its HTML depends on the language (added by core.formhtml) and on
        every column of the wijken and themes it offers, which make the key.
        """
        if any(name in params for name in PARAMETERS):
            return None
        return (
            "event-filters",
            *(
                tuple(
                    tuple(getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields)
                    for obj in self.fields[name].listed
                )
                for name in ("wijk", "thema")
            ),
        )

    def query_string(self) -> str:
        """``?wijk=noord&thema=jeugd`` for the valid filters chosen, for the feed links and
        the embed; "" when nothing is filtered."""
        query = QueryDict(mutable=True)
        for name, value in self.filters().items():
            if isinstance(value, Area | Theme):
                value = value.slug
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            elif value is True:
                value = "1"
            query[name] = value
        return f"?{query.urlencode()}" if query else ""


def period_end(period: str, *, now: datetime.datetime) -> datetime.datetime:
    """The end of this week (Monday 00:00 after the coming Sunday) or of this month, in
    the site's time zone."""
    today = timezone.localdate(now)
    if period == WEEK:
        end = today + datetime.timedelta(days=7 - today.weekday())
    else:
        end = (today.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return _local_midnight(end)


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_current_timezone())


def search(queryset: QuerySet[Event], query: str) -> QuerySet[Event]:
    """Full-text search over the titles and descriptions (both languages).

    On PostgreSQL: the Dutch configuration for the Dutch texts (so "veiligheid" finds
    "veilig" and "wijken" finds "wijk") and the English one for the English texts, in
    the websearch syntax residents know ("energie -subsidie", "\"nieuwe speeltuin\""); a
    part of a word in a title ("energ") finds it too. Elsewhere (the SQLite of `make run`):
    a plain substring match on the same fields.
    """
    substring = Q(title__icontains=query) | Q(title_en__icontains=query)
    if connections[queryset.db].vendor != "postgresql":
        return queryset.filter(
            substring | Q(description__icontains=query) | Q(description_en__icontains=query)
        )
    vector = SearchVector("title", "description", config="dutch") + SearchVector(
        "title_en", "description_en", config="english"
    )
    terms = SearchQuery(query, config="dutch", search_type="websearch") | SearchQuery(
        query, config="english", search_type="websearch"
    )
    return queryset.annotate(search=vector).filter(Q(search=terms) | substring)


def filter_events(
    queryset: QuerySet[Event],
    filters: Mapping[str, Any],
    *,
    now: datetime.datetime | None = None,
) -> QuerySet[Event]:
    """``queryset`` narrowed by the cleaned ``filters`` of an ``EventFilterForm``."""
    now = now or timezone.now()
    # An Area or Theme from the site's form, or a slug from the API's.
    if area := filters.get("wijk"):
        queryset = queryset.filter(area__slug=getattr(area, "slug", area))
    if theme := filters.get("thema"):
        queryset = queryset.filter(themes__slug=getattr(theme, "slug", theme))
    if period := filters.get("periode"):
        queryset = queryset.filter(starts_at__lt=period_end(period, now=now))
    if van := filters.get("van"):
        queryset = queryset.filter(starts_at__gte=_local_midnight(van))
    if tot := filters.get("tot"):
        queryset = queryset.filter(starts_at__lt=_local_midnight(tot + datetime.timedelta(days=1)))
    if filters.get("vrij"):
        # Seats left, and signing up still possible (or yet to open).
        queryset = (
            queryset.filter(confirmed_count__lt=F("capacity"))
            .filter(Q(registration_closes_at__isnull=True) | Q(registration_closes_at__gt=now))
            .exclude(status__in=CALLED_OFF)
        )
    if query := filters.get("q"):
        queryset = search(queryset, query)
    return queryset


def filtered_upcoming(
    params: Mapping[str, Any], *, now: datetime.datetime | None = None
) -> tuple[EventFilterForm, QuerySet[Event]]:
    """The bound form for ``params`` (a request's GET) and the upcoming published events
    it selects, soonest first, with their area, series and themes."""
    form = EventFilterForm(params)
    events = Event.objects.published().upcoming(now=now).with_topics()
    return form, filter_events(events, form.filters(), now=now)
