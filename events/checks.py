"""System check: DJANGO_EMBED_ALLOWED_ORIGINS holds origins, as frame-ancestors needs."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.checks import Error, Warning, register

# scheme://host[:port], nothing after: what a browser compares a framing page against.
ORIGIN = re.compile(r"^https?://[^/\s:'\"*]+(:\d{1,5})?$")


@register()
def check_embed_allowed_origins(app_configs, **kwargs) -> list:
    messages = []
    for value in settings.EMBED_ALLOWED_ORIGINS:
        if value.rstrip("/") == "*" or "*" in value:
            messages.append(
                Warning(
                    f"DJANGO_EMBED_ALLOWED_ORIGINS contains {value!r}: any site (or any "
                    "subdomain) may frame /embed/.",
                    hint="Name each site that may frame it: https://www.example.nl",
                    id="events.W001",
                )
            )
        elif not ORIGIN.match(value.rstrip("/")):
            messages.append(
                Error(
                    f"DJANGO_EMBED_ALLOWED_ORIGINS contains {value!r}, which is no origin.",
                    hint="An origin is a scheme and a host, with a port if any: "
                    "https://www.example.nl (a path is ignored by browsers).",
                    id="events.E001",
                )
            )
    return messages
