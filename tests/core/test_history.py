import pytest
from django.urls import reverse

from takatsu_portal.core.history import history_entries, history_page
from takatsu_portal.core.models import InitiativeArea, Policy
from tests.factories import SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_history_records_who_changed_what_from_old_to_new(client):
    admin = UserFactory(is_superuser=True)
    staff = UserFactory(full_name="高津 花子")
    new_section = SectionFactory(name="区民課")
    client.force_login(admin)
    # Through the admin, so that the request's user is recorded as the author.
    response = client.post(
        reverse("admin:accounts_user_change", args=[staff.pk]),
        {
            "username": staff.username,
            "full_name": "高津 花子",
            "full_name_kana": "たかつ はなこ",
            "staff_number": staff.staff_number,
            "section": new_section.pk,
            "email": staff.email,
            "is_active": "on",
            "date_joined_0": "2026-04-01",
            "date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    newest = history_entries(staff)[0]
    assert newest.user == admin
    assert newest.kind == "変更"
    changes = {c.label: (c.old, c.new) for c in newest.changes}
    assert changes["所属課"][1] == "区民課"
    assert changes["ふりがな"] == ("たかつ たろう", "たかつ はなこ")
    assert history_entries(staff)[-1].kind == "作成"


def test_history_shows_choice_labels_and_deleted_relations():
    area = InitiativeArea.objects.filter(scope=InitiativeArea.Scope.WARD).first()
    area.scope = InitiativeArea.Scope.INDIVIDUAL
    area.save()
    changes = {c.label: (c.old, c.new) for c in history_entries(area, limit=1)[0].changes}
    assert changes == {
        "区分": ("区役所全体に関わる取組", "職員による個別業務の改善を中心とする取組")
    }

    closed, kept = SectionFactory(name="廃止された課"), SectionFactory(name="区民課")
    user = UserFactory(section=closed)
    user.section = kept
    user.save()
    closed_pk = closed.pk
    closed.delete()
    changes = {c.label: (c.old, c.new) for c in history_entries(user, limit=1)[0].changes}
    assert changes["所属課"] == (f"#{closed_pk}（削除済み）", str(kept))


def test_history_shows_a_changed_field_under_its_label():
    policy = Policy.objects.templates().get(number=1)
    policy.title = "区民の声を聴く区役所"
    policy.save()
    entry = history_entries(policy, limit=1)[0]
    assert [(c.label, c.new) for c in entry.changes] == [("方針", "区民の声を聴く区役所")]


def test_history_page_paginates_and_shows_changes_of_the_pages_last_row():
    policy = Policy.objects.templates().get(number=2)
    for n in range(5):
        policy.title = f"版{n}"
        policy.save()
    page = history_page(policy, 1, per_page=3)
    assert page.paginator.num_pages == 2
    assert [e.changes[0].new for e in page.entries] == ["版4", "版3", "版2"]
    assert page.entries[-1].changes[0].old == "版1"


def test_profile_page_shows_the_users_own_history(client):
    user = UserFactory()
    user.email = "new@example.jp"
    user.save()
    client.force_login(user)
    html = client.get(reverse("profile")).content.decode()
    assert "変更履歴" in html
    assert "new@example.jp" in html
    assert "メールアドレス" in html


def test_history_shows_dates_and_times_of_changed_fields_in_tokyo_time():
    from datetime import UTC, datetime

    from django.template.loader import render_to_string

    staff = UserFactory()
    staff.date_joined = datetime(2026, 12, 6, 23, 53, 13, 447422, tzinfo=UTC)
    staff.save()
    entries = history_entries(staff)
    html = render_to_string("includes/_history.html", {"entries": entries})
    changed = {c.label: c.new for c in entries[0].changes}
    # 23:53 UTC on the 6th is 08:53 on the 7th in Asia/Tokyo.
    assert "2026年12月7日 08:53" in changed.values()
    assert "2026年12月7日 08:53" in html
    assert "+00:00" not in html and "2026-12-06" not in html


def test_history_shows_dates_of_date_fields_the_portal_way():
    from takatsu_portal.accounts.models import User
    from takatsu_portal.core.history import _display

    assert _display(User, "date_joined", "2026-12-06T23:53:13+00:00") == "2026年12月7日 08:53"
