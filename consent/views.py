from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from consent import categories, services, state
from consent.forms import ConsentForm
from core.ratelimit import limit_posts


def _return_url(request: HttpRequest) -> str:
    """Where the visitor came from (the banner sends it), if it is a page of this site."""
    url = request.POST.get("next", "")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("consent:settings") + "#je-keuze"


@require_http_methods(["GET", "HEAD", "POST"])
@limit_posts(scope="consent", setting="CONSENT")
def cookie_settings(request: HttpRequest) -> HttpResponse:
    """Cookie-instellingen: every cookie, the current choice, and the form to change it.

    The banner on every other page posts here too. A valid choice is recorded, stored in
    the consent cookie, cookies the visitor no longer allows are deleted, and the visitor
    returns to the page they were on.
    """
    optional = categories.optional_categories()
    consent = state.get_consent(request)
    if request.method == "POST":
        form = ConsentForm(request.POST, categories=optional)
        if form.is_valid():
            new_consent = services.record_choice(
                choices=form.choices(), method=form.method(), language=get_language()
            )
            response = HttpResponseRedirect(_return_url(request))
            state.set_consent_cookie(response, new_consent)
            state.delete_cookies_without_consent(request, response, new_consent)
            return response
        status = 400
    else:
        initial = {c.key: bool(consent and consent.allows(c.key)) for c in optional}
        form = ConsentForm(initial=initial, categories=optional)
        status = 200

    rows = [
        {
            "category": category,
            "field": None if category.required else form[category.key],
            "choice": None if consent is None else consent.choices.get(category.key),
        }
        for category in categories.active_categories()
    ]
    response = render(
        request,
        "consent/settings.html",
        {
            "form": form,
            "rows": rows,
            "consent": consent,
            "needs_choice": state.needs_choice(request),
            # This page is the choice itself; the banner would only repeat it.
            "hide_consent_banner": True,
        },
        status=status,
    )
    # It shows this visitor's own choice: never from a shared or back-forward cache.
    add_never_cache_headers(response)
    return response
