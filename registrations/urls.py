from django.urls import path

from registrations import views

app_name = "registrations"

urlpatterns = [
    path("evenementen/<slug:slug>/aanmelden/", views.signup, name="signup"),
    path("aanmelding/<str:token>/", views.registration_detail, name="detail"),
    path("aanmelding/<str:token>/afmelden/", views.registration_cancel, name="cancel"),
    path("aanmelding/<str:token>/gegevens/", views.registration_data, name="data"),
    path("aanmelding/<str:token>/verwijderen/", views.registration_erase, name="erase"),
    path("gegevens-verwijderd/", views.registration_erased, name="erased"),
]
