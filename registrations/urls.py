from django.urls import path

from registrations import views

app_name = "registrations"

urlpatterns = [
    path("evenementen/<slug:slug>/aanmelden/", views.signup, name="signup"),
    path("aanmelding/<slug:token>/", views.registration_detail, name="detail"),
    path("aanmelding/<slug:token>/afmelden/", views.registration_cancel, name="cancel"),
    path("aanmelding/<slug:token>/personen/", views.registration_party_size, name="party-size"),
    path("aanmelding/<slug:token>/gegevens/", views.registration_data, name="data"),
    path("aanmelding/<slug:token>/verwijderen/", views.registration_erase, name="erase"),
    path("gegevens-verwijderd/", views.registration_erased, name="erased"),
]
