"""Required-training compliance across fiscal years and section moves; the compliance page and
its exports; the home page's attention items."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from takatsu_portal.accounts.roles import Role
from takatsu_portal.core.attention import items_for
from takatsu_portal.core.fiscal import FiscalYear
from tests.factories import UserFactory
from training import compliance
from training.models import Category, Enrolment, Requirement

from .factories import CourseFactory, SessionFactory

JST = ZoneInfo("Asia/Tokyo")
State = Enrolment.State
CURRENT = FiscalYear.current()
PAST = CURRENT.previous()


def at(day, hour=10):
    return datetime.combine(day, time(hour), tzinfo=JST)


def completed(user, course, day):
    session = SessionFactory(
        course=course,
        starts_at=at(day),
        apply_by=at(day - timedelta(days=7)),
        cancel_by=at(day - timedelta(days=3)),
    )
    return Enrolment.objects.create(
        session=session, user=user, state=State.CONFIRMED, attendance="present", completed_on=day
    )


def dated_user(section, joined, **kwargs):
    """A user whose creation (and history) is dated `joined`."""
    user = UserFactory(section=section, roles=kwargs.pop("roles", [Role.STAFF]), **kwargs)
    user.date_joined = at(joined, 9)
    user.save()
    user.history.all().update(history_date=at(joined, 9))
    return user


def move(user, section, on):
    user.section = section
    user._history_date = at(on, 9)
    user.save()


@pytest.fixture
def rule(office, course):
    return Requirement.objects.create(
        office=office, title="接遇研修（全職員・毎年度）", audience="all", course=course
    )


def test_completion_counts_only_within_its_fiscal_year(office, sections, course, rule):
    person = dated_user(sections.kumin, PAST.start - timedelta(days=400))
    completed(person, course, PAST.start + timedelta(days=30))
    past = compliance.compute(office, PAST, user_ids=[person.pk])
    now = compliance.compute(office, CURRENT, user_ids=[person.pk])
    assert past.people[0].compliant
    assert not now.people[0].compliant
    assert now.people[0].gaps[0].deadline == CURRENT.end


def test_last_day_of_march_counts_for_the_year_ending_and_first_of_april_for_the_next(
    office, sections, course, rule
):
    person = dated_user(sections.kumin, PAST.start - timedelta(days=400))
    completed(person, course, PAST.end)  # 31 March
    assert compliance.compute(office, PAST, user_ids=[person.pk]).people[0].compliant
    assert not compliance.compute(office, CURRENT, user_ids=[person.pk]).people[0].compliant
    completed(person, course, CURRENT.start)  # 1 April
    assert compliance.compute(office, CURRENT, user_ids=[person.pk]).people[0].compliant


def test_a_person_who_moved_is_counted_in_their_new_section_with_their_earlier_completion(
    office, sections, course, rule
):
    person = dated_user(sections.kumin, PAST.start - timedelta(days=400))
    lacking = dated_user(sections.kumin, PAST.start - timedelta(days=400))
    completed(person, course, PAST.start + timedelta(days=20))  # while in 区民課
    move(person, sections.hoken, PAST.start + timedelta(days=180))  # October
    result = compliance.compute(office, PAST)
    by_section = {row.section.name: row for row in result.sections}
    assert by_section["保険年金課"].in_scope == 1 and by_section["保険年金課"].missing == 0
    assert by_section["区民課"].in_scope == 1 and by_section["区民課"].missing == 1
    assert [s.person.pk for s in result.missing_people] == [lacking.pk]


def test_a_past_year_uses_the_section_of_its_last_day_not_today(office, sections, course, rule):
    person = dated_user(sections.kumin, PAST.start - timedelta(days=400))
    move(person, sections.hoken, CURRENT.start + timedelta(days=1))  # moved this year
    past = compliance.compute(office, PAST, user_ids=[person.pk])
    now = compliance.compute(office, CURRENT, user_ids=[person.pk])
    assert [s.section.name for s in past.people] == ["区民課"]
    assert [s.section.name for s in now.people] == ["保険年金課"]


def test_people_who_joined_after_a_year_or_left_before_it_are_not_counted(
    office, sections, course, rule
):
    newcomer = dated_user(sections.kumin, CURRENT.start + timedelta(days=1))
    leaver = dated_user(sections.kumin, PAST.start - timedelta(days=400))
    leaver.is_active = False
    leaver._history_date = at(PAST.start - timedelta(days=10), 9)
    leaver.save()
    past = compliance.compute(office, PAST)
    ids = {s.person.pk for s in past.people}
    assert newcomer.pk not in ids and leaver.pk not in ids


def test_joiners_rule_with_months_after_joining(office, sections, course):
    Requirement.objects.create(
        office=office,
        title="新任職員の情報セキュリティ",
        audience="joiners",
        category=Category.SERVICE,
        due="after_joining",
        months=3,
    )
    joined = PAST.start + timedelta(days=60)
    on_time = dated_user(sections.kumin, joined)
    late = dated_user(sections.kumin, joined)
    veteran = dated_user(sections.kumin, PAST.start - timedelta(days=400))
    completed(
        on_time,
        CourseFactory(office=office, category=Category.SERVICE),
        joined + timedelta(days=40),
    )
    completed(late, course, joined + timedelta(days=150))  # after three months
    result = compliance.compute(office, PAST)
    statuses = {s.person.pk: s for s in result.people}
    assert veteran.pk not in statuses
    assert statuses[on_time.pk].compliant
    gap = statuses[late.pk].gaps[0]
    assert gap.deadline == date(joined.year, joined.month + 3, joined.day) - timedelta(days=1)
    assert gap.overdue


def test_role_section_and_category_rules(office, sections, people, course):
    Requirement.objects.create(
        office=office,
        title="課長のハラスメント防止",
        audience="role",
        role="section_manager",
        category=Category.OTHER,
    )
    Requirement.objects.create(
        office=office,
        title="保険年金課の個人情報",
        audience="section",
        section=sections.hoken,
        category=Category.SECURITY,
    )
    result = compliance.compute(office, CURRENT)
    titles = {s.person.username: {g.requirement.title for g in s.gaps} for s in result.people}
    assert titles["manager"] == {"課長のハラスメント防止"}
    assert titles["other"] == {"保険年金課の個人情報"}
    assert titles["manager2"] == {"課長のハラスメント防止", "保険年金課の個人情報"}
    assert "staff" not in titles
    completed(
        people.other_staff, CourseFactory(office=office, category=Category.SECURITY), CURRENT.start
    )
    result = compliance.compute(office, CURRENT)
    assert "other" not in {s.person.username for s in result.missing_people}


def test_window_staff_rule_follows_the_sections_with_a_window(office, sections, people, course):
    from feedback.models import ServiceWindow  # the test may look at feedback; training does not

    ServiceWindow.objects.create(section=sections.hoken, name="国民健康保険窓口")
    Requirement.objects.create(
        office=office, title="窓口職員の接遇", audience="window", course=course
    )
    result = compliance.compute(office, CURRENT)
    assert {s.section.name for s in result.people} == {"保険年金課"}


def test_compliance_page_for_a_manager_shows_only_their_section(client, people, rule):
    client.force_login(people.manager)
    page = client.get(reverse("training:compliance")).content.decode()
    assert people.staff.full_name in page
    assert people.other_staff.full_name not in page
    # Asking for another section by hand gives nothing of it.
    other = people.other_staff.section
    response = client.get(reverse("training:compliance") + f"?section={other.pk}")
    assert people.other_staff.full_name not in response.content.decode()


def test_compliance_page_for_organisers_shows_every_section_and_exports(client, people, rule):
    client.force_login(people.trainer)
    page = client.get(reverse("training:compliance")).content.decode()
    assert people.staff.full_name in page and people.other_staff.full_name in page
    csv = client.get(reverse("training:compliance") + "?format=csv")
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "課,職員番号,氏名,受講義務,期限,状況"
    assert people.other_staff.full_name in text
    sjis = client.get(reverse("training:compliance") + "?format=csv&encoding=cp932")
    assert people.other_staff.full_name in sjis.content.decode("cp932")
    xlsx = client.get(reverse("training:compliance") + "?format=xlsx")
    assert xlsx.content[:2] == b"PK"


def test_staff_and_council_cannot_see_compliance(client, people, rule):
    for user in (people.staff, people.council):
        client.force_login(user)
        response = client.get(reverse("training:compliance"))
        assert response.status_code == 403
        assert "受講状況を閲覧できるのは" in response.content.decode()


def test_home_page_tells_staff_what_they_need_and_managers_how_many_are_missing(
    people, course, rule
):
    titles = [i.title for i in items_for(people.staff)]
    assert "受講が必要な研修が1件あります" in titles
    manager_titles = [i.title for i in items_for(people.manager)]
    assert any("課内で必修研修が未受講の職員が" in t for t in manager_titles)
    completed(people.staff, course, timezone.localdate())
    assert not any("受講が必要な研修" in i.title for i in items_for(people.staff))
