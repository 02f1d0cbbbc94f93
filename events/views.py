from django.db.models import QuerySet
from django.views.generic import DetailView, ListView

from events.models import Event


class EventListView(ListView):
    """Upcoming published events, soonest first."""

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


class EventDetailView(DetailView):
    """One event as on the reference page; the sign-up block comes from registrations."""

    template_name = "events/event_detail.html"
    context_object_name = "event"

    def get_queryset(self) -> QuerySet[Event]:
        # Staff who may view events can preview an unpublished one before publishing.
        if self.request.user.has_perm("events.view_event"):
            return Event.objects.all()
        return Event.objects.published()
