from django.conf import settings
from django.urls import path
from django.views.generic import TemplateView

urlpatterns = [
    path(
        "privacy/",
        TemplateView.as_view(
            template_name="pages/privacy.html",
            extra_context={"retention_days": settings.BIJEEN_RETENTION_DAYS},
        ),
        name="privacy",
    ),
    path(
        "toegankelijkheid/",
        TemplateView.as_view(template_name="pages/accessibility.html"),
        name="accessibility",
    ),
]
