from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Retention: erases personal data that is no longer needed (knows every app that
    holds some; no app knows it)."""

    name = "privacy"
