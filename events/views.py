from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from core.pagecache import cache_public_page
from events.calendar import calendar_for
from events.models import Event

ICS = "text/calendar; charset=utf-8"


@method_decorator(cache_public_page, name="dispatch")
class EventListView(ListView):
    """Upcoming published events, soonest first (anonymous: cached for a second)."""

    template_name = "events/event_list.html"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Event]:
        return Event.objects.published().upcoming()


class EventArchiveView(ListView):
    """Published events that have begun, most recent first."""

    template_name = "events/event_archive.html"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[Event]:
        return Event.objects.published().past()


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
            return Event.objects.all()
        return Event.objects.published()


@require_safe
def event_ics(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Zet in agenda": the event as an .ics file."""
    event = get_object_or_404(Event.objects.published(), slug=slug)
    response = HttpResponse(calendar_for([event], site_url=settings.SITE_URL), content_type=ICS)
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


@require_safe
def upcoming_ics(request: HttpRequest) -> HttpResponse:
    """A subscribable feed of every upcoming published event."""
    events = Event.objects.published().upcoming()[:500]
    body = calendar_for(events, site_url=settings.SITE_URL, name=_("Evenementen van de gemeente"))
    response = HttpResponse(body, content_type=ICS)
    response["Cache-Control"] = "public, max-age=300"
    return response
