"""`make run-prod` (scripts/run-prod.sh) serves the production configuration through a real
gunicorn on the loopback address: DEBUG is off (the error pages are the portal's own, with the
CSP header), the static files are the collected ones, and the secret key is generated once."""

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture
def run_prod(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        CELERY_BROKER_URL="",  # tasks in the web process: no worker for this test
        PORT=str(port),
        WEB_CONCURRENCY="1",
    )
    env.pop("SECRET_KEY", None)
    log = (tmp_path / "run-prod.log").open("w")
    process = subprocess.Popen(
        ["scripts/run-prod.sh"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(base + "/accounts/login/", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                assert process.poll() is None, (tmp_path / "run-prod.log").read_text()
                time.sleep(0.5)
        else:
            pytest.fail("make run-prod did not answer: " + (tmp_path / "run-prod.log").read_text())
        yield base, tmp_path / "run-prod.log"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def test_run_prod_serves_the_production_configuration_through_gunicorn(run_prod):
    base, log = run_prod
    status, headers, html = fetch(base + "/no-such-page/")
    assert status == 404
    assert headers["Server"].startswith("gunicorn")
    assert '<html lang="ja"' in html and "ページが見つかりません" in html
    assert "Traceback" not in html and "Django" not in html
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "Strict-Transport-Security" not in headers  # plain HTTP on the loopback only
    # Collected static files with hashed names (WhiteNoise's manifest), as in production.
    status, _, page = fetch(base + "/accounts/login/")
    assert status == 200
    assert "/static/css/portal." in page and "/static/css/portal.css" not in page
    key = ROOT / "var" / "secret_key"
    assert key.stat().st_mode & 0o077 == 0
    assert "Listening at: http://127.0.0.1:" in log.read_text()
