"""Good practices shared city-wide (優良事例の全市共有, issue 15): 宮前区's subcommittee shares a
good practice, 高津区's staff read it in 「他区の優良事例」 and copy it into a proposal of their
own plan; the city reads and copies nothing; a ward's unshared improvements never leave it."""

import datetime
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from plans.models import Improvement, Proposal, Stage
from plans.practices import attention as practice_attention
from plans.practices.services import COPY_REFUSAL, NO_OPEN_PLAN, SHARE_REFUSAL
from takatsu_portal.accounts.roles import Role
from takatsu_portal.core.models import InitiativeArea, Notification
from tests.factories import (
    DepartmentFactory,
    OfficeFactory,
    SectionFactory,
    UserFactory,
    own_policy,
)
from tests.plans.factories import ImprovementFactory, PlanFactory

pytestmark = pytest.mark.django_db

ROLES = {
    "staff": [Role.STAFF],
    "lead": [Role.STAFF, Role.WG_LEAD],
    "subcommittee": [Role.STAFF, Role.SUBCOMMITTEE],
    "council": [Role.COUNCIL],
    "manager": [Role.SECTION_MANAGER],
    "admin": [Role.ADMINISTRATOR],
    "editor": [Role.EDITOR],
    "trainer": [Role.TRAINER],
}


@pytest.fixture
def miyamae(db):
    """宮前区役所: one person per role in 地域振興課, and its good practices."""
    office = OfficeFactory(code="miyamae", name="宮前区役所")
    section = SectionFactory(
        department=DepartmentFactory(office=office, name="まちづくり推進部"), name="地域振興課"
    )
    people = SimpleNamespace(
        **{
            name: UserFactory(
                username=f"miyamae-{name}", full_name=f"宮前 花子{i}", roles=roles, section=section
            )
            for i, (name, roles) in enumerate(ROLES.items())
        }
    )
    return SimpleNamespace(office=office, section=section, people=people)


def good_practice(
    ward,
    *,
    title="窓口の呼出表示の大型化",
    shared=False,
    policies=(2,),
    is_good_practice=True,
    **fields,
):
    """An improvement of `ward`, acknowledged by its manager as a good practice; shared
    city-wide by its subcommittee when `shared`."""
    now = timezone.now()
    improvement = ImprovementFactory(
        author=ward.people.staff,
        title=title,
        problem="呼出番号が見えにくく、聞き逃しが多かった。",
        change="呼出表示を大型モニターに替えた。",
        effect="聞き逃しが月40件から8件に減った。",
        acknowledged_by=ward.people.manager,
        acknowledged_at=now,
        manager_comment="宮前秘匿のコメント",
        is_good_practice=is_good_practice,
        shared_citywide_at=now if shared else None,
        shared_citywide_by=ward.people.subcommittee if shared else None,
        **fields,
    )
    improvement.policies.set([own_policy(n, ward.office) for n in policies])
    return improvement


@pytest.fixture
def practice(miyamae):
    return good_practice(miyamae, shared=True)


@pytest.fixture
def plan(office):
    return PlanFactory(office=office, fiscal_year=2026, stage=Stage.PLAN_APPROVED)


def share(client, improvement, action="share"):
    name = f"plans:improvement_{action}_citywide"
    return client.post(reverse(name, args=[improvement.pk]), {"version": improvement.version})


def text(response):
    return response.content.decode()


# ---------------------------------------------------------------------------------------------
# Sharing and withdrawing (the ward's subcommittee)


def test_the_subcommittee_shares_a_good_practice_citywide_with_history(client, miyamae):
    improvement = good_practice(miyamae)
    client.force_login(miyamae.people.subcommittee)
    page = text(client.get(improvement.get_absolute_url()))
    assert "全市に共有する</button>" in page
    response = share(client, improvement)
    assert response.status_code == 302
    assert response.url == improvement.get_absolute_url()
    improvement.refresh_from_db()
    assert improvement.is_shared_citywide
    assert improvement.shared_citywide_by == miyamae.people.subcommittee
    latest = improvement.history.first()
    assert (latest.history_user, latest.history_change_reason) == (
        miyamae.people.subcommittee,
        "全市に共有",
    )
    page = text(client.get(improvement.get_absolute_url()))
    assert "全市への共有を取り下げる" in page
    assert "全市に共有" in text(
        client.get(reverse("plans:improvement_history", args=[improvement.pk]))
    )


def test_the_subcommittee_withdraws_it_and_it_leaves_the_citywide_list(
    client, miyamae, practice, people
):
    client.force_login(miyamae.people.subcommittee)
    assert share(client, practice, "withdraw").status_code == 302
    practice.refresh_from_db()
    assert not practice.is_shared_citywide
    assert practice.shared_citywide_by is None
    latest = practice.history.first()
    assert latest.history_change_reason == "全市への共有を取り下げ"
    assert latest.history_user == miyamae.people.subcommittee
    client.force_login(people.staff)
    assert practice.title not in text(client.get(reverse("plans:practice_list")))
    assert client.get(reverse("plans:practice_detail", args=[practice.pk])).status_code == 404


def test_sharing_twice_is_refused_with_the_reason(client, miyamae, practice):
    client.force_login(miyamae.people.subcommittee)
    response = share(client, practice)
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "この優良事例はすでに全市に共有しています。" in messages


def test_sharing_from_an_older_version_is_a_conflict(client, miyamae):
    improvement = good_practice(miyamae)
    client.force_login(miyamae.people.subcommittee)
    response = client.post(
        reverse("plans:improvement_share_citywide", args=[improvement.pk]),
        {"version": improvement.version - 1 if improvement.version > 1 else 99},
    )
    assert response.status_code == 302
    improvement.refresh_from_db()
    assert not improvement.is_shared_citywide


@pytest.mark.parametrize(
    "who", ["staff", "lead", "council", "manager", "admin", "editor", "trainer"]
)
def test_only_the_subcommittee_shares(client, miyamae, who):
    improvement = good_practice(miyamae)
    client.force_login(getattr(miyamae.people, who))
    assert "全市に共有する</button>" not in text(client.get(improvement.get_absolute_url()))
    response = share(client, improvement)
    assert response.status_code == 403
    assert SHARE_REFUSAL in text(response)
    improvement.refresh_from_db()
    assert not improvement.is_shared_citywide


def test_an_improvement_that_is_no_good_practice_cannot_be_shared(client, miyamae):
    improvement = good_practice(miyamae, is_good_practice=False)
    client.force_login(miyamae.people.subcommittee)
    page = text(client.get(improvement.get_absolute_url()))
    assert "全市への共有" not in page
    assert share(client, improvement).status_code == 403
    improvement.refresh_from_db()
    assert not improvement.is_shared_citywide


def test_another_wards_subcommittee_cannot_share_nor_withdraw(client, miyamae, practice, people):
    unshared = good_practice(miyamae, title="宮前秘匿の改善")
    client.force_login(people.subcommittee)
    assert share(client, unshared).status_code == 404
    assert share(client, practice, "withdraw").status_code == 404
    practice.refresh_from_db()
    assert practice.is_shared_citywide


def test_the_city_shares_nothing(client, miyamae, people):
    improvement = good_practice(miyamae)
    client.force_login(people.city)
    assert share(client, improvement).status_code == 403
    improvement.refresh_from_db()
    assert not improvement.is_shared_citywide


# ---------------------------------------------------------------------------------------------
# 「他区の優良事例」: the list and the page


@pytest.mark.parametrize("who", ["staff", "lead", "subcommittee", "council", "manager", "admin"])
def test_every_role_of_another_ward_reads_the_list_but_no_unshared_improvement(
    client, miyamae, practice, people, who
):
    good_practice(miyamae, title="宮前秘匿の優良事例（区内のみ）")
    ImprovementFactory(author=miyamae.people.staff, title="宮前秘匿の確認待ち")
    client.force_login(getattr(people, who))
    page = text(client.get(reverse("plans:practice_list")))
    assert practice.title in page
    assert "宮前区役所" in page and "地域振興課" in page
    assert "宮前秘匿" not in page
    # The author and the manager are not named outside their ward.
    assert miyamae.people.staff.full_name not in page


def test_a_ward_does_not_list_its_own_practices_as_another_wards(client, people, office):
    own = ImprovementFactory(
        author=people.staff,
        title="高津の共有済み事例",
        acknowledged_at=timezone.now(),
        is_good_practice=True,
        shared_citywide_at=timezone.now(),
    )
    client.force_login(people.staff)
    assert own.title not in text(client.get(reverse("plans:practice_list")))
    assert client.get(reverse("plans:practice_detail", args=[own.pk])).status_code == 404


def test_the_city_reads_every_wards_shared_practices(client, miyamae, practice, people):
    takatsu = ImprovementFactory(
        author=people.staff,
        title="高津の共有済み事例",
        acknowledged_at=timezone.now(),
        is_good_practice=True,
        shared_citywide_at=timezone.now(),
    )
    client.force_login(people.city)
    page = text(client.get(reverse("plans:practice_list")))
    assert practice.title in page and takatsu.title in page
    detail = text(client.get(reverse("plans:practice_detail", args=[practice.pk])))
    assert practice.effect in detail
    assert "提案として取り込む</a>" not in detail
    assert COPY_REFUSAL in detail


def test_the_filters_by_ward_policy_year_and_keyword(client, miyamae, practice, people):
    other_office = OfficeFactory(code="asao", name="麻生区役所")
    ward = SimpleNamespace(
        office=other_office,
        people=SimpleNamespace(
            staff=UserFactory(
                section=SectionFactory(department=DepartmentFactory(office=other_office))
            ),
        ),
    )
    ward.people.manager = ward.people.subcommittee = ward.people.staff
    asao = good_practice(
        ward,
        title="申請書の記入例をやさしい日本語に",
        shared=True,
        policies=(4,),
        recorded_on=datetime.date(2025, 11, 1),
    )
    client.force_login(people.staff)
    url = reverse("plans:practice_list")

    def titles(**query):
        page = client.get(url, query)
        assert page.status_code == 200
        return [p.title for p in page.context["page_obj"].object_list]

    assert set(titles()) == {practice.title, asao.title}
    assert titles(office=other_office.pk) == [asao.title]
    assert titles(office=miyamae.office.pk) == [practice.title]
    assert titles(policy=4) == [asao.title]
    assert titles(policy=2) == [practice.title]
    assert titles(year=2025) == [asao.title]
    assert titles(year=2026) == [practice.title]
    assert titles(q="やさしい日本語") == [asao.title]
    assert titles(q="窓口の呼出表示") == [practice.title]
    # The own ward is not among the wards to choose.
    assert people.staff.office.pk not in [
        o.pk for o in client.get(url).context["form"].fields["office"].queryset
    ]


def make_practices(count):
    office = OfficeFactory(code=f"ward{count}", name=f"第{count}区役所")
    section = SectionFactory(department=DepartmentFactory(office=office))
    author = UserFactory(section=section)
    now = timezone.now()
    for number in range(count):
        improvement = ImprovementFactory(
            author=author,
            title=f"優良事例{number}",
            acknowledged_at=now,
            is_good_practice=True,
            shared_citywide_at=now,
        )
        improvement.policies.set([own_policy(1 + number % 5, office), own_policy(3, office)])


@pytest.mark.parametrize("count", [3, 45])
def test_the_list_runs_a_fixed_number_of_queries(
    client, people, count, django_assert_max_num_queries
):
    make_practices(count)
    client.force_login(people.staff)
    client.get(reverse("plans:practice_list"))  # the session, roles and caches warmed
    with django_assert_max_num_queries(7):
        response = client.get(reverse("plans:practice_list"), {"page": 2 if count > 20 else 1})
    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == (20 if count > 20 else count)


def test_the_practice_page_shows_ward_section_what_and_effect_without_names(
    client, miyamae, practice, people, plan
):
    client.force_login(people.staff)
    response = client.get(reverse("plans:practice_detail", args=[practice.pk]))
    page = text(response)
    for shown in ["宮前区役所", "地域振興課", practice.problem, practice.change, practice.effect]:
        assert shown in page
    assert miyamae.people.staff.full_name not in page
    assert miyamae.people.manager.full_name not in page
    assert "宮前秘匿のコメント" not in page
    assert reverse("plans:practice_copy", args=[practice.pk]) in page


def test_unshared_improvements_of_another_ward_are_not_found(client, miyamae, people):
    unshared = good_practice(miyamae, title="宮前秘匿")
    pending = ImprovementFactory(author=miyamae.people.staff, title="宮前秘匿2")
    for user in [people.staff, people.subcommittee, people.city]:
        client.force_login(user)
        for improvement in [unshared, pending]:
            for name in ["plans:practice_detail", "plans:practice_copy"]:
                response = client.get(reverse(name, args=[improvement.pk]))
                assert response.status_code in (
                    {403} if user == people.city and name.endswith("copy") else {404}
                ), (user, name)
                assert "宮前秘匿" not in text(response)


# ---------------------------------------------------------------------------------------------
# 「提案として取り込む」


def test_a_planner_copies_a_practice_into_a_proposal_of_their_own_plan(
    client, miyamae, practice, people, stranger, plan, office, django_capture_on_commit_callbacks
):
    client.force_login(people.lead)
    url = reverse("plans:practice_copy", args=[practice.pk])
    form = client.get(url).context["form"]
    # Mapped by number: 宮前区's policy 2 → 高津区's own policy 2.
    assert form.initial["policies"] == [own_policy(2, office).pk]
    assert form.initial["plan"] == plan.pk
    area = InitiativeArea.objects.for_office(office).get(number=1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "plan": plan.pk,
                "policies": [own_policy(2, office).pk, own_policy(5, office).pk],
                "initiative_area": area.pk,
            },
        )
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("plans:proposal_edit", args=[proposal.pk])
    assert proposal.plan == plan
    assert proposal.proposer == people.lead
    assert proposal.section == people.lead.section
    assert proposal.status == Proposal.Status.SUBMITTED
    assert proposal.title == practice.title
    assert practice.change in proposal.description
    assert sorted(p.number for p in proposal.policies.all()) == [2, 5]
    assert {p.office_id for p in proposal.policies.all()} == {office.pk}
    assert proposal.initiative_area == area
    assert proposal.source_practice == practice
    assert proposal.source_note.startswith(
        "宮前区役所　地域振興課の優良事例「窓口の呼出表示の大型化」"
    )
    assert proposal.history.first().history_change_reason.startswith("他区の優良事例から取り込み")
    edit = text(client.get(response.url))
    assert "取り込み元（他区の優良事例）" in edit
    assert proposal.source_note in text(client.get(proposal.get_absolute_url()))
    # 高津区's subcommittee hears of the new proposal; 宮前区's subcommittee and the author
    # hear that it was copied.
    told = {(n.recipient, n.message[:20]) for n in Notification.objects.all()}
    assert {r for r, _ in told} == {
        people.subcommittee,
        miyamae.people.subcommittee,
        stranger,  # 宮前区's other subcommittee member
        miyamae.people.staff,
    }
    copied = Notification.objects.get(recipient=miyamae.people.subcommittee)
    assert (
        copied.message
        == "高津区役所が優良事例「窓口の呼出表示の大型化」を事業企画案として取り込みました"
    )
    assert copied.url == practice.get_absolute_url()
    assert mail.outbox
    # The practice page now says that the ward has copied it.
    page = text(client.get(reverse("plans:practice_detail", args=[practice.pk])))
    assert "この事例から次の事業企画案を取り込んでいます" in page


def test_the_copy_form_keeps_what_was_chosen_and_says_what_is_missing(
    client, practice, people, plan, office
):
    client.force_login(people.staff)
    response = client.post(
        reverse("plans:practice_copy", args=[practice.pk]),
        {"plan": plan.pk, "policies": [own_policy(3, office).pk], "initiative_area": ""},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["initiative_area"] == ["具体的な取組を選んでください。"]
    assert form["policies"].value() == [str(own_policy(3, office).pk)]
    assert not Proposal.objects.exists()


def test_another_wards_policy_or_plan_is_refused(client, miyamae, practice, people, plan, office):
    miyamae_plan = PlanFactory(office=miyamae.office, stage=Stage.DRAFT)
    area = InitiativeArea.objects.for_office(office).get(number=1)
    client.force_login(people.staff)
    url = reverse("plans:practice_copy", args=[practice.pk])
    response = client.post(
        url,
        {
            "plan": plan.pk,
            "policies": [own_policy(2, miyamae.office).pk],
            "initiative_area": area.pk,
        },
    )
    assert response.status_code == 400
    assert "policies" in response.context["form"].errors
    response = client.post(
        url,
        {
            "plan": miyamae_plan.pk,
            "policies": [own_policy(2, office).pk],
            "initiative_area": area.pk,
        },
    )
    assert response.status_code == 400
    assert "plan" in response.context["form"].errors
    assert not Proposal.objects.exists()


def test_no_plan_open_for_proposals_is_refused_with_the_reason(client, practice, people, office):
    PlanFactory(office=office, stage=Stage.IN_PROGRESS)
    client.force_login(people.staff)
    detail = text(client.get(reverse("plans:practice_detail", args=[practice.pk])))
    assert NO_OPEN_PLAN in detail
    for method in ("get", "post"):
        response = getattr(client, method)(reverse("plans:practice_copy", args=[practice.pk]))
        assert response.status_code == 403
        assert NO_OPEN_PLAN in text(response)
    assert not Proposal.objects.exists()


def test_the_city_copies_nothing(client, practice, people, plan):
    client.force_login(people.city)
    url = reverse("plans:practice_copy", args=[practice.pk])
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code == 403
    assert not Proposal.objects.exists()


def test_a_ward_cannot_copy_its_own_practice(client, miyamae, practice):
    PlanFactory(office=miyamae.office, stage=Stage.DRAFT)
    client.force_login(miyamae.people.staff)
    assert client.get(reverse("plans:practice_copy", args=[practice.pk])).status_code == 404


def test_a_withdrawn_practice_leaves_its_copies_with_their_note(
    client, miyamae, practice, people, plan, office
):
    client.force_login(people.staff)
    client.post(
        reverse("plans:practice_copy", args=[practice.pk]),
        {
            "plan": plan.pk,
            "policies": [own_policy(2, office).pk],
            "initiative_area": InitiativeArea.objects.for_office(office).get(number=1).pk,
        },
    )
    proposal = Proposal.objects.get()
    client.force_login(miyamae.people.subcommittee)
    assert share(client, practice, "withdraw").status_code == 302
    client.force_login(people.staff)
    page = text(client.get(proposal.get_absolute_url()))
    assert proposal.source_note in page
    assert reverse("plans:practice_detail", args=[practice.pk]) not in page
    # Copying from a page opened before the withdrawal: not found any more.
    response = client.post(reverse("plans:practice_copy", args=[practice.pk]), {})
    assert response.status_code == 404


# ---------------------------------------------------------------------------------------------
# The home page


def test_planners_hear_of_practices_newly_shared_by_other_wards(client, practice, people):
    for who, expected in [
        ("subcommittee", True),
        ("lead", True),
        ("staff", False),
        ("city", False),
    ]:
        client.force_login(getattr(people, who))
        page = text(client.get(reverse("home")))
        assert ("他区の優良事例が1件、新しく共有されました" in page) is expected, who


def test_an_old_share_is_no_longer_news(practice, people):
    Improvement.objects.filter(pk=practice.pk).update(
        shared_citywide_at=timezone.now() - datetime.timedelta(days=practice_attention.NEW_DAYS + 1)
    )
    assert practice_attention.practices_newly_shared(people.subcommittee) == []
