import os
import re

import pytest
import requests
from django.db import DatabaseError, connection
from django.db.backends.utils import CursorWrapper

from tests.servers import gunicorn, manage

PRODUCTION_ENV = {
    "PATH": os.environ["PATH"],
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/bijeen",
    "DJANGO_ALLOWED_HOSTS": "bijeen.example.org",
}


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    def broken(self, sql, params=None):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    assert client.get("/healthz").status_code == 503


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DATABASE_URL"])
def test_production_refuses_to_start_without_required_settings(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_gunicorn_serves_the_site_with_hashed_static_files_through_whitenoise(tmp_path):
    db = connection.settings_dict
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
    }
    collected = manage("collectstatic", "--noinput", env=env)
    assert collected.returncode == 0, collected.stderr

    # As behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    behind_tls = {"X-Forwarded-Proto": "https"}
    with gunicorn(env=env) as base_url:
        home = requests.get(base_url + "/", headers=behind_tls, timeout=10)
        stylesheet = re.search(r'href="(/static/css/bijeen\.[0-9a-f]{12}\.css)"', home.text)
        assert home.status_code == 200
        assert stylesheet, "the page does not link the hashed stylesheet"
        css = requests.get(base_url + stylesheet.group(1), headers=behind_tls, timeout=10)
        assert css.status_code == 200
        assert "immutable" in css.headers["Cache-Control"]
        assert home.headers["Strict-Transport-Security"].startswith("max-age=31536000")
        # A plain-HTTP page request is sent to https, but the load balancer's probe is not.
        insecure = requests.get(base_url + "/", allow_redirects=False, timeout=10)
        assert insecure.status_code == 301
        assert insecure.headers["Location"].startswith("https://")
        assert requests.get(base_url + "/healthz", allow_redirects=False, timeout=10).ok
