"""The language switch links only to paths on this site, whatever path was asked for.

A request for ``//evil.example/`` (sent as is by a crafted link; gunicorn hands the path
to Django unchanged) made the 404 page's language switch link to ``//evil.example/en/``,
which a browser reads as another site.
"""

import http.client
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from tests.servers import gunicorn, manage
from tests.test_config import PRODUCTION_ENV

SWITCH = re.compile(r'<a href="([^"]*)"[^>]*class="language-switch"')

# Paths a browser would read as another site if a link started with them, and their
# relatives after the language prefix and with a query.
HOSTILE_PATHS = [
    "//evil.example/",
    "//evil.example/en/",
    "//evil.example/evenementen/",
    "///evil.example/",
    "/\\evil.example/",
    "/\\/evil.example/",
    "/en//evil.example/",
    "/en/\\evil.example/",
    "//evil.example/?x=1",
    "//evil.example",
    "/%2F/evil.example/",
    "/http://evil.example/",
]


def switch_links(html: str) -> list[str]:
    links = [unescape(href) for href in SWITCH.findall(html)]
    assert links, "the page has no language switch"
    return links


def assert_on_this_site(href: str) -> None:
    assert href.startswith("/"), href
    assert not href.startswith(("//", "/\\")), href
    parts = urlsplit(href)
    assert not parts.scheme and not parts.netloc, href


def get_raw(base_url: str, path: str) -> tuple[int, str]:
    """GET ``path`` exactly as written (requests and the test client would read
    ``//evil.example/`` as a host name)."""
    address = urlsplit(base_url)
    conn = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
        conn.putheader("Host", address.hostname)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read().decode()
    finally:
        conn.close()


@pytest.mark.django_db
def test_the_language_switch_stays_on_this_site_through_gunicorn(tmp_path):
    db = connection.settings_dict
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
    }
    assert manage("collectstatic", "--noinput", env=env).returncode == 0
    with gunicorn(env=env) as base_url:
        status, html = get_raw(base_url, "/")
        assert status == 200
        assert switch_links(html) == ["/en/"]  # the control: an ordinary page
        for path in ["//evil.example/", "//evil.example/en/", "/en//evil.example/"]:
            status, html = get_raw(base_url, path)
            assert status == 404, path
            for href in switch_links(html):
                assert_on_this_site(href)


SWITCH_TEMPLATE = Template(
    "{% load pages_tags %}{% other_languages as languages %}{% for language in languages %}"
    '<a href="{{ language.url }}" class="language-switch">{% endfor %}'
)


def render_switch(full_path: str, language: str) -> list[str]:
    path, _, query = full_path.partition("?")
    request = RequestFactory().get("/", QUERY_STRING=query)
    # What a server hands over for a path the test client would parse as a host name.
    request.path = request.path_info = request.META["PATH_INFO"] = path
    with translation.override(language):
        html = SWITCH_TEMPLATE.render(Context({"request": request}))
    return switch_links(html)


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_the_language_switch_never_links_off_the_site(path, language):
    for href in render_switch(path, language):
        assert_on_this_site(href)


@pytest.mark.parametrize(
    ("path", "language", "expected"),
    [
        ("/", "nl", "/en/"),
        ("/en/", "en", "/"),
        ("/archief/?pagina=2", "nl", "/en/archief/?pagina=2"),
        ("/en/archief/", "en", "/archief/"),
        # Not a path on this site: the other language's start page.
        ("//evil.example/", "nl", "/en/"),
        ("//evil.example/en/", "en", "/"),
    ],
)
def test_the_language_switch_links_to_the_same_page_or_the_start_page(path, language, expected):
    assert render_switch(path, language) == [expected]
