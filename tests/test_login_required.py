"""Every URL of the portal, requested without login, goes to the login page."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# URLs that answer without login, each with the reason.
PUBLIC = {
    "/accounts/login/": "the login page itself",
}
# Public pages that need data to answer (a real token), left out of the walk and tested in
# their own files; without the data they answer their own polite 404, not the login page.
PUBLIC_WITH_DATA = {
    "/s/x/": "the public survey form residents open from a QR code "
    "(tests/feedback/test_public_form.py)",
    "/training/feeds/1/x.ics": "a person's calendar feed, opened by Outlook without a login "
    "through the secret key in its address; a wrong key gets 404 "
    "(tests/training/test_calendar_feed.py)",
}
# The admin has its own login page (which it shows to anonymous users).
ADMIN_PREFIX = "/admin/"


def iter_patterns(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from iter_patterns(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield "/" + route


def concrete(route):
    """Fill path converters with plausible values: <int:pk> → 1, <slug:x> → x, <str:x> → x."""
    import re

    route = route.replace("^", "").replace("$", "").replace("\\Z", "")
    # Named groups of re_path first (before `<…>` is read as a converter): an alternation of
    # words takes its first word (`(?P<kind>building|floor|place)` → building), else 1.
    route = re.sub(
        r"\(\?P<[^>]+>([^)]*)\)",
        lambda m: m.group(1).split("|")[0] if re.fullmatch(r"[\w|-]+", m.group(1)) else "1",
        route,
    )
    route = re.sub(r"<int:[^>]+>", "1", route)
    route = re.sub(r"<(?:slug|str|uuid|path):[^>]+>", "x", route)
    route = re.sub(r"<[^>]+>", "x", route)
    return route


def portal_urls():
    urls = sorted({concrete(r) for r in iter_patterns(get_resolver())})
    return [
        u
        for u in urls
        if not u.startswith(ADMIN_PREFIX) and u not in PUBLIC and u not in PUBLIC_WITH_DATA
    ]


def test_the_walk_finds_the_portal_pages():
    urls = portal_urls()
    for name in ["home", "plans:index", "plans:progress", "feedback:index", "reports:index"]:
        assert reverse(name) in urls


@pytest.mark.django_db
@pytest.mark.parametrize("url", portal_urls())
def test_anonymous_request_redirects_to_login(client, url):
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302, f"{method.__name__.upper()} {url}"
        assert response.url.startswith(reverse("login") + "?next="), url


@pytest.mark.django_db
def test_admin_asks_anonymous_users_to_log_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url


@pytest.mark.django_db
@pytest.mark.parametrize("url", sorted(PUBLIC))
def test_public_pages_answer_without_login(client, url):
    assert client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", sorted(PUBLIC_WITH_DATA))
def test_public_pages_with_data_do_not_ask_for_login(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert not response.has_header("Location")
