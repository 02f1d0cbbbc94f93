from django.urls import path

from backoffice import twofactor

app_name = "backoffice"

urlpatterns = [
    path("instellen/", twofactor.enrol, name="2fa-enrol"),
    path("code/", twofactor.verify, name="2fa-verify"),
]
