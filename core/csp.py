"""Per-page additions to the Content-Security-Policy.

The base policy (settings.CONTENT_SECURITY_POLICY) allows only our own origin. A page that
embeds something external with the visitor's consent (Matomo, the OpenStreetMap embed)
asks for exactly that origin here, so every other page keeps the strict policy.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


def origin(url: str) -> str:
    """``https://maps.example.org/embed?x=1`` → ``https://maps.example.org``."""
    return "/".join(url.split("/")[:3])


def allow(request: HttpRequest, directive: str, url: str) -> None:
    additions = request.__dict__.setdefault("_csp_additions", {})
    additions.setdefault(directive, set()).add(origin(url))


class PolicyAdditionsMiddleware:
    """Hands the page's additions to django-csp (listed after CSPMiddleware, so it sees
    the response first)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        additions = getattr(request, "_csp_additions", None)
        if additions:
            response._csp_update = {key: sorted(value) for key, value in additions.items()}
        return response
