"""Per-page additions to the Content-Security-Policy.

The base policy (settings.CONTENT_SECURITY_POLICY) allows only our own origin. A page that
embeds something external with the visitor's consent (Matomo, the OpenStreetMap embed)
asks for exactly that origin here, so every other page keeps the strict policy.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def origin(url: str) -> str:
    """``https://maps.example.org/embed?x=1`` → ``https://maps.example.org``."""
    return "/".join(url.split("/")[:3])


def framed_by(setting: str) -> Callable:
    """View decorator: the page may be shown in a frame by the origins listed in the
    setting named ``setting`` (its CSP ``frame-ancestors``), and by no other.

    With origins set, the X-Frame-Options header is left off: it knows only DENY and
    SAMEORIGIN, and would refuse them all (``frame-ancestors`` replaces it in every
    current browser). With none set, the page keeps ``frame-ancestors 'none'`` and DENY
    like every other page. Read per response, so a changed setting applies at once.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            response = view(request, *args, **kwargs)
            origins = [origin(url) for url in getattr(settings, setting)]
            if origins:
                response._csp_replace = {
                    **(getattr(response, "_csp_replace", None) or {}),
                    "frame-ancestors": sorted(set(origins)),
                }
                # Read by django.middleware.clickjacking.XFrameOptionsMiddleware.
                response.xframe_options_exempt = True
            return response

        return wrapped

    return decorator


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
