"""Individual improvements (個別業務の改善): record, acknowledge, share as a good practice."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from plans.models import Improvement
from takatsu_portal.core.models import Notification
from tests.factories import own_policy
from tests.plans.factories import ImprovementFactory

pytestmark = pytest.mark.django_db

ACKNOWLEDGE_REFUSAL = "改善の記録を確認できるのは、その課の課長です。"
EDIT_REFUSAL = "改善の記録を修正できるのは記録者です（課長の確認前のみ）。"


@pytest.fixture
def improvement(people):
    return ImprovementFactory(author=people.staff, title="申請書記入例の掲示")


def form_data(**overrides):
    data = {
        "title": "番号札の色分け",
        "recorded_on": "2026-07-01",
        "problem": "どの窓口の番号札か分かりにくかった。",
        "change": "窓口ごとに番号札の色を変えた。",
        "effect": "呼び出しの聞き返しが月30件から5件に減った。",
        "related_goal": "待ち時間の短縮",
        "policies": [own_policy(2).pk],
    }
    data.update(overrides)
    return data


def acknowledge(client, improvement, **fields):
    data = {"version": improvement.version, "comment": "", **fields}
    return client.post(reverse("plans:improvement_acknowledge", args=[improvement.pk]), data)


# ---------------------------------------------------------------------------------------------
# Recording


def test_staff_records_an_improvement_for_their_own_section(client, people, sections):
    client.force_login(people.other_lead)
    response = client.post(reverse("plans:improvement_create"), form_data())
    improvement = Improvement.objects.get()
    assert response.status_code == 302
    assert response.url == improvement.get_absolute_url()
    assert (improvement.author, improvement.section, improvement.recorded_on) == (
        people.other_lead,
        sections.hoken,
        datetime.date(2026, 7, 1),
    )
    assert [p.number for p in improvement.policies.all()] == [2]
    assert not improvement.is_acknowledged
    page = client.get(improvement.get_absolute_url()).content.decode()
    assert "課長の確認待ち" in page
    assert "呼び出しの聞き返しが月30件から5件に減った。" in page


def test_the_record_needs_problem_change_and_effect(client, people):
    client.force_login(people.staff)
    response = client.post(
        reverse("plans:improvement_create"), form_data(problem="", change="", effect="")
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"problem", "change", "effect"}
    assert not Improvement.objects.exists()


def test_staff_without_a_section_is_told_why_they_cannot_record(client):
    from takatsu_portal.accounts.roles import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(section=None, roles=[Role.STAFF]))
    response = client.post(reverse("plans:improvement_create"), form_data())
    assert response.status_code == 200
    assert "所属課が設定されていないため記録できません。" in response.content.decode()
    assert not Improvement.objects.exists()


def test_the_page_shows_what_was_changed_and_its_effect(client, people):
    improvement = ImprovementFactory(
        author=people.staff,
        problem="申請書の書き方の質問が多かった。",
        change="記入例を窓口に掲示した。",
        effect="質問が半分になった。",
        related_goal="",
    )
    client.force_login(people.staff)
    page = client.get(reverse("plans:improvement_detail", args=[improvement.pk])).content.decode()
    for shown in [improvement.problem, improvement.change, improvement.effect, "（なし）"]:
        assert shown in page


def test_anonymous_visitors_are_sent_to_login(client, improvement):
    response = client.get(improvement.get_absolute_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", ["improvement_detail", "improvement_edit", "improvement_history"])
def test_another_offices_member_gets_404(client, stranger, improvement, name):
    client.force_login(stranger)
    assert client.get(reverse(f"plans:{name}", args=[improvement.pk])).status_code == 404


# ---------------------------------------------------------------------------------------------
# Acknowledging


def test_the_section_manager_acknowledges_and_shares_it(
    client, people, improvement, django_capture_on_commit_callbacks
):
    client.force_login(people.manager)
    page = client.get(improvement.get_absolute_url()).content.decode()
    assert reverse("plans:improvement_acknowledge", args=[improvement.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        response = acknowledge(
            client, improvement, comment="他の窓口でも使えます。", good_practice="on"
        )
    assert response.status_code == 302
    improvement.refresh_from_db()
    assert improvement.acknowledged_by == people.manager
    assert improvement.acknowledged_at is not None
    assert (improvement.manager_comment, improvement.is_good_practice) == (
        "他の窓口でも使えます。",
        True,
    )
    notification = Notification.objects.get()
    assert notification.recipient == people.staff
    assert "優良事例として共有" in notification.message
    assert [m.to for m in mail.outbox] == [[people.staff.email]]
    page = client.get(improvement.get_absolute_url()).content.decode()
    assert "課長確認済み" in page
    assert reverse("plans:improvement_acknowledge", args=[improvement.pk]) not in page


def test_acknowledging_without_comment_or_sharing(client, people, improvement):
    client.force_login(people.manager)
    assert acknowledge(client, improvement).status_code == 302
    improvement.refresh_from_db()
    assert improvement.is_acknowledged
    assert not improvement.is_good_practice


@pytest.mark.parametrize("who", ["other_manager", "staff", "subcommittee", "admin", "council"])
def test_nobody_but_the_sections_manager_acknowledges(client, people, improvement, who):
    client.force_login(getattr(people, who))
    page = client.get(improvement.get_absolute_url()).content.decode()
    assert reverse("plans:improvement_acknowledge", args=[improvement.pk]) not in page
    response = acknowledge(client, improvement, good_practice="on")
    assert response.status_code == 403
    assert ACKNOWLEDGE_REFUSAL in response.content.decode()
    improvement.refresh_from_db()
    assert not improvement.is_acknowledged


def test_an_improvement_is_acknowledged_once(client, people, improvement):
    client.force_login(people.manager)
    acknowledge(client, improvement, comment="一回目")
    improvement.refresh_from_db()
    response = acknowledge(client, improvement, comment="二回目")
    assert response.status_code == 302
    assert "この改善はすでに確認済みです。" in client.get(response.url).content.decode()
    improvement.refresh_from_db()
    assert improvement.manager_comment == "一回目"


def test_acknowledging_a_stale_page_is_refused(client, people, improvement):
    from takatsu_portal.core.versioning import save_versioned

    stale = improvement.version
    improvement.effect = "書き直しが3分の1になった。"
    save_versioned(improvement, by=people.staff)
    client.force_login(people.manager)
    response = acknowledge(client, improvement, version=stale)
    assert response.status_code == 302
    improvement.refresh_from_db()
    assert not improvement.is_acknowledged
    assert "他の人が更新しました" in client.get(response.url).content.decode()


def test_acknowledging_needs_post(client, people, improvement):
    client.force_login(people.manager)
    url = reverse("plans:improvement_acknowledge", args=[improvement.pk])
    assert client.get(url).status_code == 405


# ---------------------------------------------------------------------------------------------
# Correcting


def test_the_author_corrects_before_acknowledgement(client, people, improvement):
    client.force_login(people.staff)
    url = reverse("plans:improvement_edit", args=[improvement.pk])
    assert (
        reverse("plans:improvement_edit", args=[improvement.pk])
        in client.get(improvement.get_absolute_url()).content.decode()
    )
    response = client.post(
        url, form_data(title="記入例の掲示（改訂）", version=improvement.version)
    )
    assert response.status_code == 302
    improvement.refresh_from_db()
    assert (improvement.title, improvement.version) == ("記入例の掲示（改訂）", 2)


def test_the_author_cannot_correct_after_acknowledgement(client, people, improvement):
    client.force_login(people.manager)
    acknowledge(client, improvement)
    client.force_login(people.staff)
    url = reverse("plans:improvement_edit", args=[improvement.pk])
    response = client.post(url, form_data(version=improvement.version + 1))
    assert response.status_code == 403
    assert EDIT_REFUSAL in response.content.decode()
    improvement.refresh_from_db()
    assert improvement.title == "申請書記入例の掲示"
    assert url not in client.get(improvement.get_absolute_url()).content.decode()


@pytest.mark.parametrize("who", ["lead", "manager", "subcommittee", "admin"])
def test_nobody_but_the_author_corrects(client, people, improvement, who):
    client.force_login(getattr(people, who))
    response = client.get(reverse("plans:improvement_edit", args=[improvement.pk]))
    assert response.status_code == 403
    assert EDIT_REFUSAL in response.content.decode()


def test_two_corrections_at_once_do_not_overwrite_each_other(client, people, improvement):
    client.force_login(people.staff)
    url = reverse("plans:improvement_edit", args=[improvement.pk])
    version = improvement.version
    assert client.post(url, form_data(title="一つ目", version=version)).status_code == 302
    response = client.post(url, form_data(title="二つ目", version=version))
    assert response.status_code == 200
    assert "他の人が先に保存した変更" in response.content.decode()
    improvement.refresh_from_db()
    assert improvement.title == "一つ目"


# ---------------------------------------------------------------------------------------------
# Lists


def test_the_list_tabs_show_mine_my_sections_and_everything(client, people, sections):
    ImprovementFactory(author=people.staff, title="自分の改善")
    ImprovementFactory(author=people.lead, title="同じ課の改善")
    ImprovementFactory(author=people.other_lead, title="他の課の改善")
    client.force_login(people.staff)
    url = reverse("plans:improvement_list")

    def titles(**params):
        page = client.get(url, params).context["page_obj"]
        return {i.title for i in page.object_list}

    assert titles() == {"自分の改善"}
    assert titles(scope="section") == {"自分の改善", "同じ課の改善"}
    assert titles(scope="all") == {"自分の改善", "同じ課の改善", "他の課の改善"}
    assert titles(scope="nonsense") == {"自分の改善"}
    html = client.get(url).content.decode()
    assert reverse("plans:improvement_create") in html
    assert 'href="?scope=section">課の記録</a>' in html


def test_the_list_filters_by_status_and_keyword(client, people, improvement):
    acknowledged = ImprovementFactory(
        author=people.lead, title="案内表示の改善", effect="迷う人が減った"
    )
    client.force_login(people.manager)
    acknowledge(client, acknowledged)
    client.force_login(people.staff)
    url = reverse("plans:improvement_list")

    def titles(**params):
        return {i.title for i in client.get(url, params).context["page_obj"].object_list}

    assert titles(scope="all", status="pending") == {"申請書記入例の掲示"}
    assert titles(scope="all", status="acknowledged") == {"案内表示の改善"}
    assert titles(scope="all", q="迷う") == {"案内表示の改善"}
    assert titles(scope="all", q="申請書") == {"申請書記入例の掲示"}


def test_the_list_shows_only_the_users_office(client, stranger, improvement):
    client.force_login(stranger)
    page = client.get(reverse("plans:improvement_list"), {"scope": "all"}).context["page_obj"]
    assert list(page.object_list) == []


def test_good_practices_are_the_acknowledged_and_shared_ones(client, people, sections):
    shared = ImprovementFactory(
        author=people.staff, title="共有された改善", effect="待ち時間が半分"
    )
    not_shared = ImprovementFactory(author=people.lead, title="共有しない改善")
    ImprovementFactory(author=people.lead, title="未確認の改善", is_good_practice=True)
    client.force_login(people.manager)
    acknowledge(client, shared, good_practice="on")
    acknowledge(client, not_shared)

    client.force_login(people.other_lead)  # another section reads them
    response = client.get(reverse("plans:improvement_good_practices"))
    titles = [i.title for i in response.context["page_obj"].object_list]
    assert titles == ["共有された改善"]
    html = response.content.decode()
    assert "待ち時間が半分" in html
    assert "区民課" in html
    searched = client.get(reverse("plans:improvement_good_practices"), {"q": "該当なし"})
    assert list(searched.context["page_obj"].object_list) == []


def test_good_practices_are_newest_first(client, people):
    for day in (1, 3, 2):
        ImprovementFactory(
            author=people.staff,
            title=f"6月{day}日の改善",
            recorded_on=datetime.date(2026, 6, day),
            is_good_practice=True,
            acknowledged_by=people.manager,
            acknowledged_at=datetime.datetime(2026, 6, 10, tzinfo=datetime.UTC),
        )
    client.force_login(people.staff)
    page = client.get(reverse("plans:improvement_good_practices")).context["page_obj"]
    assert [i.title for i in page.object_list] == ["6月3日の改善", "6月2日の改善", "6月1日の改善"]


def _bulk_improvements(author, manager, count):
    Improvement.objects.bulk_create(
        Improvement(
            author=author,
            section_id=author.section_id,
            title=f"改善{i}",
            problem="課題",
            change="改善",
            effect="効果",
            recorded_on=datetime.date(2026, 6, 1),
            acknowledged_by=manager if i % 2 else None,
            acknowledged_at=datetime.datetime(2026, 6, 2, tzinfo=datetime.UTC) if i % 2 else None,
            is_good_practice=bool(i % 2),
        )
        for i in range(count)
    )


@pytest.mark.parametrize("count", [10, 500])
@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("improvement_list", {"scope": "all", "q": "改善"}),
        ("improvement_list", {"scope": "section", "status": "pending"}),
        ("improvement_good_practices", {}),
    ],
)
def test_the_lists_run_a_fixed_number_of_queries(
    client, people, count, name, params, django_assert_max_num_queries
):
    _bulk_improvements(people.staff, people.manager, count)
    client.force_login(people.staff)
    url = reverse(f"plans:{name}")
    client.get(url)
    with django_assert_max_num_queries(8):
        response = client.get(url, params)
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) > 0


# ---------------------------------------------------------------------------------------------
# Home page


def test_the_section_manager_sees_improvements_waiting_for_acknowledgement(
    client, people, improvement
):
    ImprovementFactory(author=people.lead)
    ImprovementFactory(author=people.other_lead)  # another section
    client.force_login(people.manager)
    html = client.get(reverse("home")).content.decode()
    assert "課長の確認を待っている改善の記録が2件あります" in html
    assert reverse("plans:improvement_list") + "?scope=section&amp;status=pending" in html

    client.force_login(people.other_manager)
    assert "改善の記録が1件あります" in client.get(reverse("home")).content.decode()
    for user in (people.staff, people.subcommittee):
        client.force_login(user)
        assert "課長の確認を待っている" not in client.get(reverse("home")).content.decode()


def test_the_waiting_improvements_item_runs_one_query(
    people, improvement, django_assert_num_queries
):
    from plans.improvements.attention import improvements_waiting_for_acknowledgement

    # Loaded as a request loads it (accounts/backends.py), with its section's office.
    user = (
        type(people.manager)
        .objects.select_related("section__department__office")
        .get(pk=people.manager.pk)
    )
    with django_assert_num_queries(2):  # the roles, then the count
        items = improvements_waiting_for_acknowledgement(user)
    assert len(items) == 1


def test_a_section_manager_starts_on_the_sections_records(client, people):
    from django.urls import reverse

    from tests.plans.factories import ImprovementFactory

    ImprovementFactory(author=people.staff, title="記入例の掲示")
    client.force_login(people.manager)
    html = client.get(reverse("plans:improvement_list")).content.decode()
    assert "記入例の掲示" in html
