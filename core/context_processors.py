"""What every page's template knows about the site: the organisation and its house style."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from core import theme
from core.organisation import organisation


def site(request: HttpRequest) -> dict:
    """``organisation`` (``{{ organisation }}`` is its name; core/organisation.py) and
    ``house_style``: the tokens file and the brand colours' stylesheet to link after
    static/css/bijeen.css, each empty when not configured."""
    css, version = theme.brand_css()
    return {
        "organisation": organisation(),
        "house_style": {
            "tokens_css": settings.BIJEEN_THEME_CSS,
            "brand_css_url": f"{reverse('house-style')}?v={version}" if css else "",
        },
    }
