import importlib
import json
import os
import re
import subprocess
import sys

import pytest
import requests
from django.db import DatabaseError, connection
from django.db.backends.utils import CursorWrapper
from django.urls import clear_url_caches

import config.urls
from tests.servers import ROOT, gunicorn, manage
from tests.themes import GROENWAARD_VARIABLES

PRODUCTION_ENV = {
    "PATH": os.environ["PATH"],
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/bijeen",
    "DJANGO_ALLOWED_HOSTS": "bijeen.example.org",
    "CACHE_URL": "redis://127.0.0.1:6379/0",
    "DJANGO_SITE_URL": "https://bijeen.example.org",
}


def production_setting(*names: str, env: dict) -> dict:
    """The values of settings ``names`` as production settings load them from ``env``."""
    code = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    result = manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


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


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DATABASE_URL", "CACHE_URL", "DJANGO_SITE_URL"]
)
def test_production_refuses_to_start_without_required_settings(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


@pytest.mark.parametrize(
    "site_url", ["", "bijeen.example.org", "ftp://bijeen.example.org", "https://", "https:///x"]
)
def test_production_refuses_to_start_with_a_site_url_that_is_no_web_address(site_url):
    """Every link in a mail starts with it: without a scheme and a host none would work."""
    result = manage("check", env={**PRODUCTION_ENV, "DJANGO_SITE_URL": site_url})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SITE_URL" in result.stderr


def test_production_takes_the_site_url_without_a_trailing_slash():
    env = {**PRODUCTION_ENV, "DJANGO_SITE_URL": "https://bijeen.example.org/"}
    assert production_setting("SITE_URL", env=env) == {"SITE_URL": "https://bijeen.example.org"}


def test_production_settings_pass_the_deployment_checklist():
    """With Redis as the cache, as every multi-server deployment has it, and an organisation
    of its own (the example municipality's settings warn: tests/core/test_house_style.py)."""
    env = {**PRODUCTION_ENV, **GROENWAARD_VARIABLES}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_shares_the_cache_and_keeps_sessions_in_the_database():
    """Sessions never in the cache: tests/core/test_cache_outage.py says why."""
    values = production_setting("CACHES", "SESSION_ENGINE", env=PRODUCTION_ENV)
    assert values["CACHES"]["default"]["BACKEND"] == "core.rediscache.RedisCache"
    assert values["CACHES"]["default"]["LOCATION"] == "redis://127.0.0.1:6379/0"
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_production_on_a_per_process_cache_keeps_sessions_in_the_database_only():
    """A process's own cache would serve a session another process has ended."""
    env = {**PRODUCTION_ENV, "CACHE_URL": "locmemcache://"}
    values = production_setting("CACHES", "SESSION_ENGINE", env=env)
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert "OPTIONS" not in values["CACHES"]["default"]  # socket timeouts are Redis's only


def test_gunicorn_configuration_loads_with_the_application():
    env = {**PRODUCTION_ENV, "GUNICORN_WORKERS": "3", "GUNICORN_THREADS": "2"}
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--config", "config/gunicorn.py", "--check-config"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    printed = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--config", "config/gunicorn.py", "--print-config"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    ).stdout
    assert re.search(r"^workers\s+= 3$", printed, re.MULTILINE)
    assert re.search(r"^threads\s+= 2$", printed, re.MULTILINE)
    assert re.search(r"^logger_class\s+= config.logs.GunicornLogger$", printed, re.MULTILINE)


@pytest.mark.django_db
def test_the_benchmark_baseline_is_mounted_only_when_asked(client, settings):
    assert client.get("/bench/baseline").status_code == 404
    settings.BIJEEN_BENCH_BASELINE = True
    importlib.reload(config.urls)
    clear_url_caches()
    try:
        response = client.get("/bench/baseline")
    finally:
        settings.BIJEEN_BENCH_BASELINE = False
        importlib.reload(config.urls)
        clear_url_caches()
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert client.get("/bench/baseline").status_code == 404


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


@pytest.mark.django_db
def test_gunicorn_logs_json_lines_without_personal_links(tmp_path):
    """The access log and Django's own warnings mask /aanmelding/<token>/."""
    db = connection.settings_dict
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
    }
    assert manage("collectstatic", "--noinput", env=env).returncode == 0
    token = "Zm9vYmFyLXNlY3JldC10b2tlbi1vZi1hLXJlc2lkZW50"
    access_log, error_log = tmp_path / "access.log", tmp_path / "error.log"
    with gunicorn(env=env, access_log=access_log, error_log=error_log) as base_url:
        response = requests.get(
            f"{base_url}/aanmelding/{token}/afmelden/",
            headers={"X-Request-ID": "req-42", "Referer": f"{base_url}/aanmelding/{token}/"},
            timeout=10,
        )
        assert response.status_code == 404, error_log.read_text()
    lines = [json.loads(line) for line in access_log.read_text().splitlines()]
    entry = next(line for line in lines if line["request_id"] == "req-42")
    assert entry["path"] == "/aanmelding/***/afmelden/"
    assert entry["status"] == 404
    assert entry["method"] == "GET"
    assert entry["duration_ms"] >= 0
    errors = error_log.read_text()
    assert "Not Found: /aanmelding/***/afmelden/" in errors
    assert token not in access_log.read_text() + errors


def test_mask_tokens_covers_both_languages_and_the_cancel_page():
    from config.logs import mask_tokens

    assert mask_tokens("GET /aanmelding/abc-DEF_123/ 200") == "GET /aanmelding/***/ 200"
    assert mask_tokens("/en/aanmelding/abc/afmelden/?x=1") == "/en/aanmelding/***/afmelden/?x=1"
    assert mask_tokens("/evenementen/buurt/aanmelden/") == "/evenementen/buurt/aanmelden/"
