"""Shared content (core/shared_cache.py) is rendered without the request: nothing of the first
viewer (their csrf token, name, permissions, the CSP nonce of their response) reaches the HTML
served to the others."""

import pytest
from django.conf import settings as django_settings

from takatsu_portal.core import shared_cache

pytestmark = pytest.mark.django_db

LEAKY = (
    "<form method='post'>{% csrf_token %}</form>"
    "<p>user={{ user }}|{{ request.user }}|{{ user.get_full_name }}</p>"
    "{% if perms.plans.add_project %}<p>may-add</p>{% endif %}"
    "<p>nonce={{ csp_nonce }}</p>"
    "<p>{{ shown }}</p>"
    "{% include 'includes/_pagination.html' %}"
)


@pytest.fixture
def leaky_template(settings):
    engine = dict(django_settings.TEMPLATES[0])
    options = dict(engine["OPTIONS"])
    options["loaders"] = [
        ("django.template.loaders.locmem.Loader", {"tests/leaky.html": LEAKY}),
        "django.template.loaders.filesystem.Loader",
        "django.template.loaders.app_directories.Loader",
    ]
    engine["OPTIONS"], engine["APP_DIRS"] = options, False
    settings.TEMPLATES = [engine]
    return "tests/leaky.html"


def test_a_shared_fragment_holds_no_csrf_token_and_nothing_of_its_first_viewer(
    rf, people, leaky_template
):
    from django.core.paginator import Paginator

    request = rf.get("/", {"plan": "7", "page": "1"})
    request.user = people.subcommittee
    html = shared_cache.render_shared(
        "tests-leak",
        ("same-for-all",),
        leaky_template,
        lambda: {"shown": "共有の内容", "page_obj": Paginator(range(60), 25).get_page(1)},
        query=request.GET,
    )
    assert "共有の内容" in html
    assert "csrfmiddlewaretoken" not in html
    assert people.subcommittee.username not in html
    assert str(people.subcommittee) not in html
    assert "may-add" not in html  # the first viewer may add projects: not the others
    assert "user=||</p>" in html and "nonce=</p>" in html
    # The pagination's links keep the page's query string, without the request.
    assert 'href="?plan=7&amp;page=2"' in html


def test_the_same_template_rendered_with_the_request_would_leak(rf, people, leaky_template):
    """What the test above guards against: with the request, the context processors put the
    viewer's token, name and permissions into the HTML."""
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = people.subcommittee
    context = {"shown": "共有の内容", "page_obj": Paginator(range(60), 25).get_page(1)}
    html = render_to_string(leaky_template, context, request)
    assert "csrfmiddlewaretoken" in html
    assert f"user={people.subcommittee}|" in html
    assert "may-add" in html


def test_the_pagination_of_a_page_rendered_with_its_request_keeps_its_query(rf):
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    request = rf.get("/", {"q": "窓口"})
    context = {"page_obj": Paginator(range(60), 25).get_page(2)}
    html = render_to_string("includes/_pagination.html", context, request)
    assert 'href="?q=%E7%AA%93%E5%8F%A3&amp;page=1"' in html
    assert 'href="?q=%E7%AA%93%E5%8F%A3&amp;page=3"' in html


def test_kept_html_drops_the_templates_indentation_but_not_inside_pre_or_textarea():
    from takatsu_portal.core.shared_cache import compact

    html = (
        "<div>\n    <p>一行目\n        二行目</p>\n  <pre>\n  そのまま\n    残す</pre>\n"
        '  <textarea name="t">\n  入力\n    した文</textarea>\n</div>'
    )
    assert compact(html) == (
        "<div>\n<p>一行目\n二行目</p>\n<pre>\n  そのまま\n    残す</pre>\n"
        '<textarea name="t">\n  入力\n    した文</textarea>\n</div>'
    )
