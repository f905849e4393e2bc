"""Every demo account walks the portal on the whole demo, as a person trying it would: from
the home page, every link of every page it reaches, with the office-scope guard raising
(tests/settings.py). A page that answers 500, or that queries an office's records without
scope (UnscopedQueryError, raised through the test client), fails here with its path and the
way the account reached it, on the realistic data no other test builds in full."""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve

from demo.data import accounts as takatsu_data
from demo.data import city as city_data

from . import seeding

pytestmark = pytest.mark.django_db

ACCOUNTS = [*takatsu_data.DEMO_USERNAMES, *(p.username for p in city_data.DEMO_ACCOUNTS)]

# Pages of one kind (one view) visited per account: the first ones found are enough to run its
# queries; a walk of every project and every voice would add minutes and no new query.
PER_VIEW = 2
# The walk of one account stops after this many pages (today the longest, the subcommittee's,
# is about 230: the test fails when a walk is cut short).
MOST_PAGES = 400
# Not walked: the admin (superusers, city-wide by design, no guard), signing out, the files.
SKIPPED = ("/admin/", "/accounts/logout/", "/static/", "/media/")

HREF = re.compile(r'href="([^"#]*)"')


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    yield from seeding.once(django_db_blocker, seeding.seed_demo)


def links(response, base):
    """The portal's own paths that a page links to (no query strings: a list's filters and
    pages run the same view)."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return
    for href in HREF.findall(response.content.decode()):
        parts = urlsplit(urljoin(base, href.replace("&amp;", "&")))
        if parts.netloc or not parts.path.startswith("/"):
            continue
        if not parts.path.startswith(SKIPPED):
            yield parts.path


def walk(client):
    """Every page reached from the home page by links; [(path, status, came_from)]."""
    seen, per_view, visited = {"/"}, {}, []
    queue = deque([("/", None)])
    while queue and len(visited) < MOST_PAGES:
        path, came_from = queue.popleft()
        try:
            view = resolve(path).view_name
        except Resolver404:
            visited.append((path, 404, came_from))
            continue
        if per_view.get(view, 0) >= PER_VIEW:
            continue
        per_view[view] = per_view.get(view, 0) + 1
        response = client.get(path)
        visited.append((path, response.status_code, came_from))
        for link in links(response, path):
            if link not in seen:
                seen.add(link)
                queue.append((link, path))
    return visited


@pytest.mark.parametrize("username", ACCOUNTS)
def test_every_demo_account_walks_every_link_without_an_error(demo, client, username):
    from takatsu_portal.accounts.models import User

    client.force_login(User.objects.get(username=username))
    visited = walk(client)
    errors = [(path, status, came_from) for path, status, came_from in visited if status >= 500]
    broken = [(path, came_from) for path, status, came_from in visited if status == 404]
    assert errors == []
    assert broken == []  # a link the portal itself shows leads to a page
    assert len(visited) < MOST_PAGES
    # The walk reached well beyond the home page: each account's menu and the records behind it.
    assert len({path.split("/")[1] for path, _, _ in visited}) >= 3
    assert len(visited) >= 15
