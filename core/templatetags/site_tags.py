"""Absolute addresses for link previews (Open Graph) and the organisation's name."""

from django import template
from django.conf import settings

from core import personal

register = template.Library()


@register.simple_tag
def absolute_url(path: str) -> str:
    """``/evenementen/x/`` → ``https://bijeen.example.org/evenementen/x/`` (SITE_URL)."""
    return settings.SITE_URL + path


@register.simple_tag(takes_context=True)
def page_url(context: template.Context) -> str:
    """This page's public address without its query string, for ``og:url``; empty on a
    personal page, whose address is a secret key (core/personal.py)."""
    request = context.get("request")
    if request is None or personal.is_personal(request):
        return ""
    return settings.SITE_URL + request.path


@register.simple_tag
def organisation_name() -> str:
    return settings.BIJEEN_ORGANISATION_NAME
