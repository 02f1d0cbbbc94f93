from django.urls import path

from events import feeds, views

app_name = "events"

urlpatterns = [
    path("", views.EventListView.as_view(), name="list"),
    path("archief/", views.EventArchiveView.as_view(), name="archive"),
    path("agenda.ics", views.upcoming_ics, name="feed"),
    path("agenda.atom", feeds.UpcomingEventsFeed(), name="atom"),
    path("embed/", views.embed, name="embed"),
    path("evenementen/<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
    path("evenementen/<slug:slug>/agenda.ics", views.event_ics, name="ics"),
]
