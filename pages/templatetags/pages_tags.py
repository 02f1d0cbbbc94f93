from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, get_language_info

register = template.Library()


def _on_this_site(url: str) -> bool:
    """Whether ``url`` is a path on this site. ``//evil.example/`` is a path to the server
    (a crafted link can ask for it), but a browser reads it, and ``/\\evil.example/``, as
    another site."""
    return (
        url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    )


def _in_language(path: str, code: str) -> str:
    """This page in language ``code``; the start page in that language when the page's
    own address is not a path on this site."""
    if _on_this_site(path):
        url = translate_url(path, code)
        if _on_this_site(url):
            return url
    return translate_url("/", code)


@register.simple_tag(takes_context=True)
def other_languages(context: template.Context) -> list[dict]:
    """Links to this same page in each other language, named in that language."""
    request: HttpRequest | None = context.get("request")
    path = request.get_full_path() if request else "/"
    current = get_language()
    return [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": _in_language(path, code),
        }
        for code, _name in settings.LANGUAGES
        if code != current
    ]
