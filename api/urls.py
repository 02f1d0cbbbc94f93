from django.urls import path

from api import views

app_name = "api"

urlpatterns = [
    path("events/", views.EventList.as_view(), name="events"),
    path("events/<str:slug>/", views.EventDetail.as_view(), name="event"),
    path("areas/", views.AreaList.as_view(), name="areas"),
    path("themes/", views.ThemeList.as_view(), name="themes"),
    path("openapi.json", views.OpenApiDocument.as_view(), name="openapi"),
]
