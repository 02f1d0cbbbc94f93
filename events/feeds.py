"""An Atom feed of the upcoming events, for any filter (``agenda.atom?wijk=noord``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from events.filters import filtered_upcoming
from events.models import Event
from events.templatetags.events_tags import event_summary, status_prefix

FEED_LIMIT = 500


@dataclass(frozen=True)
class Selection:
    events: QuerySet[Event]
    query: str


class UpcomingEventsFeed(Feed):
    """Each entry is one event: its title, when and where, and a link to its page. An
    entry changes when the event does (``updated``), so a reader shows edits."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args, **kwargs) -> Selection:
        # One Feed instance serves every request: what a request chose travels in here.
        form, events = filtered_upcoming(request.GET)
        return Selection(events=events, query=form.query_string())

    def title(self, obj: Selection) -> str:
        return _("Evenementen van %(organisation)s") % {
            "organisation": settings.BIJEEN_ORGANISATION_NAME
        }

    def subtitle(self, obj: Selection) -> str:
        return _("Bijeenkomsten waarvoor je je kunt aanmelden.")

    def link(self, obj: Selection) -> str:
        return reverse("events:list") + obj.query

    def items(self, obj: Selection) -> QuerySet[Event]:
        return obj.events[:FEED_LIMIT]

    def item_title(self, item: Event) -> str:
        return status_prefix(item) + item.localized("title").text

    def item_description(self, item: Event) -> str:
        return event_summary(item)

    def item_link(self, item: Event) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Event) -> str:
        return f"event-{item.pk}"

    def item_guid_is_permalink(self, item: Event) -> bool:
        return False

    def item_pubdate(self, item: Event) -> datetime.datetime:
        return item.created_at

    def item_updateddate(self, item: Event) -> datetime.datetime:
        return item.updated_at

    def item_categories(self, item: Event) -> list[str]:
        return [theme.localized_name for theme in item.themes.all()]
