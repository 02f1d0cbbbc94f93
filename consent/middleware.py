from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_vary_headers

from consent import state


class ConsentMiddleware:
    """Keep the browser in line with the visitor's choice on every response.

    Deletes first-party cookies of categories the visitor has not allowed (after a
    withdrawal, an expired or outdated choice, or a category switched off), and marks pages
    as depending on cookies, since the banner, the statistics code and the map do.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        if settings.CONSENT_COOKIE_NAME not in response.cookies:
            # (A response that records a new choice has already cleaned up for it.)
            state.delete_cookies_without_consent(request, response, state.get_consent(request))
        return response
