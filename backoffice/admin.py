"""The one place that assembles the Django admin.

Each app exports its admin parts without registering them; this module composes them and
registers every model admin. Nothing here reaches into the admin's private registry, and
no app's admin depends on the order in which apps load.
"""

from django.conf import settings
from django.contrib import admin
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from consent.admin import ConsentRecordAdmin
from consent.models import ConsentRecord
from events import admin as events_admin
from events.models import Area, Event, Series, Theme
from reactions.admin import ReactionAdmin, ReactionSettingsInline
from reactions.models import Reaction
from registrations.admin import (
    EventRegistrationsMixin,
    MessageAdmin,
    QuestionInline,
    RegistrationAdmin,
    RegistrationInline,
)
from registrations.models import Message, Registration

# The organisation's name (BIJEEN_ORGANISATION_NAME) above every admin page and in the
# browser tab, read when a page is drawn.
admin.site.site_header = lazy(lambda: settings.BIJEEN_ORGANISATION_NAME, str)()
admin.site.site_title = admin.site.site_header
admin.site.index_title = _("Evenementbeheer")
# The start page with the upcoming events' occupancy bars (registrations' template tag).
admin.site.index_template = "backoffice/index.html"


@admin.register(Event)
class EventAdmin(EventRegistrationsMixin, events_admin.EventAdmin):
    """The event page staff work on: the event's fields (events), its registrations,
    exports and attendance list (registrations), and its reaction settings (reactions)."""

    inlines = [QuestionInline, RegistrationInline, ReactionSettingsInline]
    # Short column titles, so the list fits next to the admin's side bar.
    list_display = [
        "title",
        "begin",
        "location",
        "seats",
        "confirmed",
        "waiting",
        "cancelled_count",
        "seats_left_column",
        "published",
        "public_link",
    ]


admin.site.register(Theme, events_admin.ThemeAdmin)
admin.site.register(Area, events_admin.AreaAdmin)
admin.site.register(Series, events_admin.SeriesAdmin)
admin.site.register(Registration, RegistrationAdmin)
admin.site.register(Message, MessageAdmin)
admin.site.register(Reaction, ReactionAdmin)
admin.site.register(ConsentRecord, ConsentRecordAdmin)
