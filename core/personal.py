"""Personal pages: pages that show one resident's data, reached by their secret link.

The address of such a page is the key to that data, so it must go nowhere: not to the
statistics (as the page tracked, or as the next page's referrer), not into a shared cache,
not into a search index. The app that serves personal pages marks the request before it
renders one (``mark``); code that would send the page's address elsewhere (consent's
statistics tag) asks ``is_personal`` and stays away. Neither app imports the other.
"""

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers, patch_cache_control

_ATTRIBUTE = "_bijeen_personal_page"


def mark(request: HttpRequest) -> None:
    """This request shows a personal page; call it before anything is rendered."""
    setattr(request, _ATTRIBUTE, True)


def is_personal(request: HttpRequest | None) -> bool:
    return request is not None and getattr(request, _ATTRIBUTE, False)


def protect(response: HttpResponseBase) -> HttpResponseBase:
    """The headers of a personal page (and of its redirects)."""
    # Never stored by a shared cache or the browser's back-forward cache; never indexed.
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    # Neither a link followed nor a form posted from here tells the next page this address.
    response["Referrer-Policy"] = "no-referrer"
    return response
