"""End-to-end tests in headless Chromium, driven by Playwright's sync API.

The tests use the system's Chromium (Debian's `chromium` package); Playwright never downloads a
browser here. One browser serves all the browser tests and each test gets a fresh context, so
tests share no cookies. The live server runs the production code path against the test
database; axe-core (vendored in tests/vendor) checks each page against WCAG 2.2 AA.
"""

import os
import shutil
from functools import cache
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from takatsu_portal.accounts.roles import Role

from ..factories import UserFactory

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = Path(__file__).resolve().parent.parent / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

DEMO_PASSWORD = "takatsu-demo"
# The demo accounts of seed_demo: username → (full name, role).
DEMO_USERS = {
    "admin": ("管理 花子", Role.ADMINISTRATOR),
    "staff": ("高津 太郎", Role.STAFF),
    "wglead": ("溝口 一郎", Role.WG_LEAD),
    "subcommittee": ("久地 次郎", Role.SUBCOMMITTEE),
    "council": ("梶ケ谷 三郎", Role.COUNCIL),
    "manager": ("二子 四郎", Role.SECTION_MANAGER),
    "trainer": ("末長 五子", Role.TRAINER),
    "editor": ("梶ケ谷 美咲", Role.EDITOR),
}


@cache
def _axe_source():
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(scope="package")
def browser():
    """One Chromium for all the browser tests, closed after the last of them.

    While Playwright's sync API is running, the test's thread has a running event loop, and
    Django refuses ORM calls there ("async context") although they are synchronous.
    DJANGO_ALLOW_ASYNC_UNSAFE lifts that for these tests only: no other test, and no
    subprocess of one (`manage.py check --deploy` warns about it), inherits it.
    """
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def portal_url(live_server, master_data):
    """The live server's address, with the database as a fresh migrate leaves it (live_server
    empties every table after each test; `master_data` loads the guideline's data again)."""
    return live_server.url


@pytest.fixture
def demo_users(portal_url, section):
    """The six demo accounts, password "takatsu-demo", keyed by username."""
    return {
        username: UserFactory(
            username=username,
            full_name=full_name,
            password=DEMO_PASSWORD,
            roles=[role],
            section=section,
        )
        for username, (full_name, role) in DEMO_USERS.items()
    }


@pytest.fixture
def page(browser, portal_url):
    """A page in a context of its own. The site's Content-Security-Policy stays in force, and a
    violation of it, a script error or a failed script, style or fetch fails the test."""
    context = browser.new_context(base_url=portal_url, locale="ja-JP", timezone_id="Asia/Tokyo")
    # Generous enough for a shared 2-core machine under load (a first navigation may wait for
    # the live server's first query); a test never relies on it to pass.
    context.set_default_timeout(15_000)
    context.set_default_navigation_timeout(20_000)
    page = context.new_page()
    problems = []

    def on_console(message):
        # A page answered with an error status (a 403 the test asks for) is not a problem of
        # the page; the "response" listener below judges the resources it loads.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"console: {message.text}")

    def on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            problems.append(f"{response.status} {response.request.method} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("response", on_response)
    yield page
    context.close()
    assert problems == [], "\n".join(problems)


def log_in(page: Page, username, password=DEMO_PASSWORD):
    """Sign in through the login form, as a person would, and wait for the dashboard."""
    page.goto("/accounts/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", level=1, name="ダッシュボード")).to_be_visible()


def assert_no_axe_violations(page: Page):
    """Run axe-core on the page as it is now and fail with a readable list of violations.

    axe is evaluated through the DevTools protocol, which the page's CSP does not govern, so
    the CSP stays in force for the page itself.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    violations = results["violations"]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {node['target']}: {node['failureSummary']}" for node in v["nodes"])
        for v in violations
    )
    assert violations == [], f"axe found violations on {page.url}:\n{report}"
