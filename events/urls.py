from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.EventListView.as_view(), name="list"),
    path("archief/", views.EventArchiveView.as_view(), name="archive"),
    path("evenementen/<slug:slug>/", views.EventDetailView.as_view(), name="detail"),
]
