from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from core.csp import framed_by
from core.formhtml import keyed_form_html
from core.pagecache import cache_public_page
from events.calendar import calendar_for
from events.filters import filtered_upcoming
from events.models import Event

ICS = "text/calendar; charset=utf-8"
# A subscribed calendar holds at most this many events; the feeds and the embed likewise.
FEED_LIMIT = 500


@method_decorator(cache_public_page, name="dispatch")
class EventListView(ListView):
    """Upcoming published events, soonest first, narrowed by the filter form (GET).

    Anonymous visitors get the unfiltered first page from the page cache for up to a
    second; a filtered list has a query string and is always rendered fresh.
    """

    template_name = "events/event_list.html"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Event]:
        self.form, events = filtered_upcoming(self.request.GET)
        return events

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["form"] = self.form
        # Without filters the form is the same for everyone: its HTML from memory.
        key = self.form.empty_form_key(self.request.GET)
        context["form_html"] = keyed_form_html(key, lambda: self.form) if key else None
        context["filter_query"] = self.form.query_string()
        context["is_filtered"] = bool(self.form.filters())
        return context


class EventArchiveView(ListView):
    """Published events that have begun, most recent first."""

    template_name = "events/event_archive.html"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Event]:
        return Event.objects.published().past().with_topics()


@method_decorator(cache_public_page, name="dispatch")
class EventDetailView(DetailView):
    """One event as on the reference page; the sign-up block comes from registrations.

    Anonymous visitors get it from the page cache for up to a second (core/pagecache.py):
    the seats left may be that old; the sign-up POST decides under the lock.
    """

    template_name = "events/event_detail.html"
    context_object_name = "event"

    def get_queryset(self) -> QuerySet[Event]:
        # Staff who may view events can preview an unpublished one before publishing.
        if self.request.user.has_perm("events.view_event"):
            return Event.objects.with_topics()
        return Event.objects.published().with_topics()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["series_dates"] = series_dates(self.object)
        return context


SERIES_DATES_SHOWN = 20


def series_dates(event: Event) -> list[Event]:
    """The other upcoming published dates of ``event``'s series, soonest first, with
    their seats left: one query, or none for an event outside a series."""
    if event.series_id is None:
        return []
    return list(
        Event.objects.published()
        .upcoming()
        .filter(series_id=event.series_id)
        .exclude(pk=event.pk)[:SERIES_DATES_SHOWN]
    )


@require_safe
def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Zet in agenda": the event as an .ics file."""
    event = get_object_or_404(Event.objects.published(), slug=slug)
    response = HttpResponse(calendar_for([event], site_url=settings.SITE_URL), content_type=ICS)
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@require_safe
def upcoming_ics(request: HttpRequest) -> HttpResponse:
    """A subscribable feed of the upcoming published events, filtered as the list is
    (``agenda.ics?wijk=noord``)."""
    _form, events = filtered_upcoming(request.GET)
    name = _("Evenementen van %(organisation)s") % {
        "organisation": settings.BIJEEN_ORGANISATION_NAME
    }
    body = calendar_for(events[:FEED_LIMIT], site_url=settings.SITE_URL, name=name)
    response = HttpResponse(body, content_type=ICS)
    response["Cache-Control"] = "public, max-age=300"
    return response


EMBED_DEFAULT, EMBED_MAX = 5, 20


@require_safe
@framed_by("EMBED_ALLOWED_ORIGINS")
def embed(request: HttpRequest) -> HttpResponse:
    """A compact list of upcoming events for the municipality's own site to frame
    (``/embed/?wijk=noord&thema=jeugd&aantal=5``): no header, no banner, no form, no
    cookie; every link opens the full page in the top window. Only the origins in
    ``EMBED_ALLOWED_ORIGINS`` may frame it (core.csp.framed_by)."""
    form, events = filtered_upcoming(request.GET)
    try:
        count = min(max(int(request.GET.get("aantal", EMBED_DEFAULT)), 1), EMBED_MAX)
    except ValueError:
        count = EMBED_DEFAULT
    response = render(
        request,
        "events/embed.html",
        {"events": events[:count], "list_url": reverse("events:list") + form.query_string()},
    )
    # A minute old is fine for a list on another site, and it spares us their visitors.
    response["Cache-Control"] = "public, max-age=60"
    return response
