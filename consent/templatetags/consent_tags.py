"""What pages ask the consent app: the banner, the statistics code, and may X be shown?

Other apps' templates use these (the event page asks whether the map may be embedded);
no other app imports consent in Python.
"""

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from consent import categories, state
from core import csp, personal

register = template.Library()


def _request(context: template.Context) -> HttpRequest | None:
    return context.get("request")


def _and(phrases: list[str]) -> str:
    """``a``, ``a en b``, ``a, b en c`` in the active language."""
    if len(phrases) < 2:
        return "".join(phrases)
    return _("%(first)s en %(last)s") % {"first": ", ".join(phrases[:-1]), "last": phrases[-1]}


@register.simple_tag(takes_context=True)
def consent_given(context: template.Context, key: str) -> bool:
    """Whether the visitor allowed the category ``key``, e.g. ``"externe-media"``."""
    request = _request(context)
    return request is not None and state.allows(request, key)


@register.inclusion_tag("consent/_banner.html", takes_context=True)
def consent_banner(context: template.Context) -> dict:
    """The banner, on every page until the visitor chose about every category in use."""
    request = _request(context)
    show = (
        request is not None
        # Pages rendered without a request's CSRF token (the CSRF failure page) cannot
        # carry the form; the next page will.
        and context.get("csrf_token") is not None
        and not context.get("hide_consent_banner")
        # A personal page uses nothing optional, and its address must not be the return
        # address of a form; with no referrer the browser would post the banner's form
        # with "Origin: null", which CSRF protection refuses. The next page asks.
        and not personal.is_personal(request)
        and state.needs_choice(request)
    )
    if not show:
        return {"show": False}
    optional = categories.optional_categories()
    return {
        "show": True,
        # Who, what and why in two sentences, for the categories this site really uses.
        "what": _("%(organisation)s wil met jouw toestemming %(what)s.")
        % {
            "organisation": settings.BIJEEN_ORGANISATION_NAME,
            "what": _and([str(category.what) for category in optional]),
        },
        "why": _("Zo %(why)s.") % {"why": _and([str(category.why) for category in optional])},
        "next": request.get_full_path(),
        "csrf_token": context["csrf_token"],
        "request": request,
    }


@register.inclusion_tag("consent/_statistics.html", takes_context=True)
def consent_statistics(context: template.Context) -> dict:
    """Matomo's tracking code, only when configured and allowed, and never on a personal
    page (its address is the key to a resident's data); otherwise nothing at all."""
    request = _request(context)
    if (
        request is None
        or personal.is_personal(request)
        or not state.allows(request, categories.STATISTICS)
    ):
        return {"matomo": None}
    url = settings.MATOMO_URL if settings.MATOMO_URL.endswith("/") else settings.MATOMO_URL + "/"
    for directive in ("script-src", "img-src", "connect-src"):
        csp.allow(request, directive, url)
    return {"matomo": {"url": url, "siteId": str(settings.MATOMO_SITE_ID)}}


@register.simple_tag(takes_context=True)
def allow_in_policy(context: template.Context, directive: str, url: str) -> str:
    """Let this page's Content-Security-Policy load ``url``'s origin for ``directive``
    (for an embed the visitor allowed). Renders nothing."""
    request = _request(context)
    if request is not None and url:
        csp.allow(request, directive, url)
    return ""
