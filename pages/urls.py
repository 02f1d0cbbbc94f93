from django.urls import path

from pages.views import AccessibilityStatementView, PrivacyStatementView

urlpatterns = [
    path("privacy/", PrivacyStatementView.as_view(), name="privacy"),
    path("toegankelijkheid/", AccessibilityStatementView.as_view(), name="accessibility"),
]
