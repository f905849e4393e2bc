"""Production settings: `check --deploy` passes and every response carries the security
headers. The checks run in a fresh process, since settings are read at start-up."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "Zq8#v2!mW4@rT7^yB1&uN5*eH3(jL9)x",  # 52 characters, varied
    "ALLOWED_HOSTS": "portal.takatsu.example.jp",
    "PORTAL_BASE_URL": "https://portal.takatsu.example.jp",
    "PORTAL_PUBLIC_BASE_URL": "https://enquete.takatsu.example.jp",
    "DATABASE_URL": "sqlite:////tmp/takatsu-deploy-check.sqlite3",
    "DJANGO_SETTINGS_MODULE": "takatsu_portal.settings",
}


def run_manage(*args, env_overrides=None):
    env = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL",)}
    env.update(PRODUCTION_ENV)
    env.update(env_overrides or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_at_warning_level_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("address", ["http://127.0.0.1:8000", "http://localhost", "http://[::1]/"])
def test_check_deploy_warns_when_qr_posters_would_point_at_a_loopback_address(address):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_overrides={"PORTAL_PUBLIC_BASE_URL": address},
    )
    assert result.returncode != 0
    assert "portal.W001" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env_overrides={"SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_bad_boolean_setting_fails_loudly():
    result = run_manage("check", env_overrides={"DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True])
def test_every_response_carries_the_security_headers(client, signed_in):
    if signed_in:
        client.force_login(UserFactory())
    for url in [reverse("login"), reverse("home"), "/no-such-page/"]:
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "frame-ancestors 'none'" in csp
        assert "script-src 'self'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "object-src 'none'" in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_no_page_loads_anything_from_another_host(client):
    client.force_login(UserFactory(is_superuser=True))
    for url in [reverse("login"), reverse("home"), reverse("guideline"), reverse("profile")]:
        html = client.get(url).content.decode()
        assert "http://" not in html and "https://" not in html and "//cdn" not in html, url


def test_collectstatic_gives_hashed_names_for_whitenoise(tmp_path):
    result = run_manage("collectstatic", "--noinput", env_overrides={"STATIC_ROOT": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    import json

    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    hashed = manifest["vendor/bootstrap/bootstrap.min.css"]
    assert hashed != "vendor/bootstrap/bootstrap.min.css"
    assert (tmp_path / hashed).exists()
    assert (tmp_path / (hashed + ".gz")).exists()
    assert "vendor/htmx/htmx.min.js" in manifest


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_gets_a_polite_page_with_no_intranet_link():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "x", "password": "y"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "送信できませんでした" in html
    assert "href=" not in html
