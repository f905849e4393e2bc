"""The page frame (core/frame.py, core/usercache.py): the header is rendered once per user and
kept, the user's cached entries are read in one round trip a request, and yet every change
the user makes or receives (a role, a name, a notification) shows at the next request; the
active menu item and the CSRF token are the page's own."""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from takatsu_portal.accounts.models import User
from takatsu_portal.accounts.roles import Role, assign_role, roles_of
from takatsu_portal.core import frame, generations
from takatsu_portal.core.notifications import notify

pytestmark = pytest.mark.django_db


def header_of(html):
    return html[html.index('<header class="portal-header">') : html.index("</header>")]


def page(client, name="guideline"):
    response = client.get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def renders(monkeypatch):
    """How many times a header was rendered (not read from the cache)."""
    calls = []
    render = frame._render_header

    def counting(user):
        calls.append(user.pk)
        return render(user)

    monkeypatch.setattr(frame, "_render_header", counting)
    return calls


def test_the_header_is_rendered_once_and_read_from_the_cache_after(client, people, renders):
    client.force_login(people.subcommittee)
    first = header_of(page(client))
    second = header_of(page(client, "plans:index"))
    assert renders == [people.subcommittee.pk]
    assert people.subcommittee.full_name in second
    # The same header but for the menu item of the page and the token of the request.
    strip = re.compile(r' active" aria-current="page"|value="[^"]+"')
    assert strip.sub("", first.replace('class="nav-link"', 'class="nav-link')) == strip.sub(
        "", second.replace('class="nav-link"', 'class="nav-link')
    )


def test_with_the_cache_off_the_header_is_rendered_every_time(client, people, renders, settings):
    settings.AUTH_CACHE_SECONDS = 0
    client.force_login(people.staff)
    page(client)
    page(client)
    assert renders == [people.staff.pk, people.staff.pk]


def test_a_role_given_or_taken_changes_the_menu_at_the_next_request(client, people):
    client.force_login(people.staff)
    progress = f'href="{reverse("plans:progress")}"'
    assert progress not in header_of(page(client))
    assign_role(people.staff, Role.SUBCOMMITTEE)
    header = header_of(page(client))
    assert progress in header
    assert Role.SUBCOMMITTEE.label in header
    people.staff.groups.remove(Group.objects.get(name=Role.SUBCOMMITTEE.group_name))
    header = header_of(page(client))
    assert progress not in header
    assert Role.SUBCOMMITTEE.label not in header


def test_a_new_name_or_portal_name_shows_at_the_next_request(client, people, office):
    client.force_login(people.staff)
    assert people.staff.full_name in header_of(page(client))
    people.staff.full_name = "高津 花子"
    people.staff.save()
    office.portal_name = "たかつ職員ポータル"
    office.save()
    header = header_of(page(client))
    assert "高津 花子" in header
    assert "たかつ職員ポータル" in header


def test_the_unread_badge_follows_notifications_on_every_page(client, people):
    client.force_login(people.staff)
    assert "未読" not in header_of(page(client))
    notification = notify(recipient=people.staff, message="進捗報告が受理されました。")
    assert "未読1件" in header_of(page(client))
    notify(recipient=people.staff, message="もう一件")
    assert "未読2件" in header_of(page(client, "plans:index"))
    client.post(reverse("notification_read"), {"notification": notification.pk})
    assert "未読1件" in header_of(page(client))
    client.post(reverse("notification_read"))
    assert "未読" not in header_of(page(client))


def test_each_page_marks_its_own_menu_item(client, people):
    client.force_login(people.subcommittee)
    for name, href in [
        ("home", reverse("home")),
        ("plans:index", reverse("plans:index")),
        ("plans:progress", reverse("plans:progress")),
        ("notification_list", None),
    ]:
        header = header_of(page(client, name))
        marked = re.findall(r'class="nav-link active" aria-current="page" href="([^"]+)"', header)
        assert marked == ([href] if href else []), name
        assert header.count("aria-current") == len(marked)
        assert "\x00" not in header


def test_one_users_header_is_never_shown_to_another(people):
    staff, manager = Client(), Client()
    staff.force_login(people.staff)
    manager.force_login(people.manager)
    for _ in range(2):
        mine, theirs = header_of(page(staff)), header_of(page(manager))
        assert people.staff.full_name in mine and people.manager.full_name not in mine
        assert people.manager.full_name in theirs and people.staff.full_name not in theirs
        assert Role.SECTION_MANAGER.label in theirs and Role.SECTION_MANAGER.label not in mine


def test_the_sign_out_form_carries_a_token_of_its_own_request(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.staff)
    tokens = []
    for _ in range(2):
        html = page(client)
        form_token = re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', header_of(html)
        ).group(1)
        assert f'"X-CSRFToken": "{form_token}"' in html  # the page's one token
        tokens.append(form_token)
    assert tokens[0] != tokens[1]
    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": tokens[1]})
    assert response.status_code == 302
    assert client.get(reverse("guideline")).status_code == 302  # signed out


def test_the_footer_names_the_guideline_of_the_users_own_office(client, people, stranger):
    client.force_login(people.staff)
    assert "高津区役所サービス向上指針（5つの基本方針）" in page(client)
    client.force_login(stranger)
    html = page(client)
    assert "宮前区役所サービス向上指針（5つの基本方針）" in html
    assert "高津区役所サービス向上指針" not in html


def test_signed_out_or_without_an_office_the_footer_names_the_installs_portal(
    client, settings, people
):
    client.logout()
    assert "高津区役所サービス向上指針（5つの基本方針）" in page(client, "login")
    settings.PORTAL_NAME = "幸区役所サービスポータル"
    html = page(client, "login")
    assert "幸区役所サービス向上指針（5つの基本方針）" in html
    assert "<header" in html and "ログアウト" not in html
    nobody = User.objects.create_user("no-section", password="x" * 12, full_name="所属 なし")
    assign_role(nobody, Role.STAFF)
    client.force_login(nobody)
    assert "幸区役所サービス向上指針（5つの基本方針）" in page(client)


def test_a_page_reads_the_users_cached_entries_in_one_round_trip(client, people, monkeypatch):
    client.force_login(people.subcommittee)
    page(client)  # fills the cache
    reads = []
    get_many = generations.cache.get_many

    def counting(keys, *args, **kwargs):
        reads.append(list(keys))
        return get_many(keys, *args, **kwargs)

    monkeypatch.setattr(generations.cache, "get_many", counting)
    page(client)
    own = [keys for keys in reads if any(f":{people.subcommittee.pk}" in k for k in keys)]
    assert len(own) == 1, reads
    assert {"auth:generation", f"frame:header:{people.subcommittee.pk}:0"} <= set(own[0])


def test_a_request_that_changes_roles_reads_them_again(people):
    """A change the request itself makes is seen by the rest of the request: the entries read
    at its start are read again after a generation moves."""
    user = User.objects.get(pk=people.staff.pk)
    assert roles_of(user) == {Role.STAFF}
    assert not user.has_perm("portal.view_progress")
    fresh = User.objects.get(pk=people.staff.pk)
    roles_of(fresh)  # the round trip that reads every entry of the user
    assign_role(fresh, Role.SUBCOMMITTEE)
    assert Role.SUBCOMMITTEE in roles_of(fresh)
    assert User.objects.get(pk=people.staff.pk).has_perm("portal.view_progress")


def test_forms_in_a_kept_notifications_page_carry_each_requests_own_token(people):
    """The notifications page is kept per user with markers where its forms' tokens go: a
    second visit (read from the cache) still posts, without JavaScript, with its own token."""
    notification = notify(recipient=people.staff, message="進捗報告が受理されました。")
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.staff)
    tokens = []
    for _ in range(2):
        html = page(client, "notification_list")
        assert "\x00" not in html
        found = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert len(found) == 3  # sign out, mark all read, mark this one read
        tokens.append(found[-1])
    assert tokens[0] != tokens[1]
    response = client.post(
        reverse("notification_read"),
        {"csrfmiddlewaretoken": tokens[1], "notification": notification.pk},
    )
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "未読" not in header_of(page(client, "notification_list"))


def test_no_template_writes_a_comment_over_several_lines():
    """Django's {# #} comment ends at its line: one over several lines is shown on the page as
    text (the pagination, the progress board and the project list showed theirs)."""
    from pathlib import Path

    from django.conf import settings

    found = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in (settings.BASE_DIR / "templates").rglob("*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert found == [], "use {% comment %} for these: " + ", ".join(found)
    assert Path(settings.BASE_DIR / "templates" / "includes" / "_pagination.html").exists()
