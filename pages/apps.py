from django.apps import AppConfig


class PagesConfig(AppConfig):
    """The site's own pages (privacy, accessibility) and its page chrome."""

    name = "pages"
