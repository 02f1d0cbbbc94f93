from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

from config.views import healthz

admin.site.site_header = "Bijeen"
admin.site.site_title = "Bijeen"
admin.site.index_title = "Evenementbeheer"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("privacy/", TemplateView.as_view(template_name="pages/privacy.html"), name="privacy"),
    path("cookies/", TemplateView.as_view(template_name="pages/cookies.html"), name="cookies"),
    path("", include("registrations.urls")),
    path("", include("events.urls")),
]
