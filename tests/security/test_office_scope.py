"""Default deny for a user without an office (issue 17, item 1).

A member of staff whose account has no section (the dashboard lists such accounts for the
administrators to fix) belongs to no office. Whatever their role, they must see no record
that belongs to an office: every list, detail and export of plans, feedback and reports
answers 404/403 or shows none of the office's records. Only the explicit city-wide permission
`accounts.see_every_office` (held by administrators) opts out, in one place:
`takatsu_portal.accounts.scope.office_scope_of`.
"""

import datetime
import io
import re

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, reverse

from feedback.urls import urlpatterns as feedback_urls
from plans.urls import urlpatterns as plans_urls
from takatsu_portal.accounts.roles import Role
from takatsu_portal.accounts.scope import SEE_EVERY_OFFICE, office_scope_of
from takatsu_portal.reports.models import ReportJob
from takatsu_portal.reports.urls import urlpatterns as reports_urls
from tests.factories import UserFactory
from tests.feedback.factories import (
    AnswerFactory,
    QuestionFactory,
    ResponseFactory,
    SurveyFactory,
    VoiceFactory,
    WindowFactory,
)
from tests.plans.factories import (
    AgendaItemFactory,
    ImprovementFactory,
    MeetingFactory,
    PlanFactory,
    ProjectFactory,
    ProposalFactory,
    WorkingGroupFactory,
)

# Texts that appear only in the office's records: none may reach a user without an office.
MARKERS = [
    "秘匿事業名",
    "秘匿計画名",
    "秘匿企画案",
    "秘匿改善",
    "秘匿ワーキング",
    "秘匿会議",
    "秘匿窓口",
    "秘匿アンケート",
    "秘匿の声",
    "区民花子",
    "090-0000-1234",
    "秘匿の自由記述",
]

# Every role but the administrator's and the city planning bureau's, which hold the city-wide
# permission.
SECTIONLESS_ROLES = [role for role in Role if role not in (Role.ADMINISTRATOR, Role.CITY)]

# URL name → the object its <int:pk> (or two ids) points at, by the name's prefix.
PREFIXES = [
    ("plans", "plan_", "plan"),
    ("plans", "project_timeline", "project"),
    ("plans", "project_evaluation", "project"),
    ("plans", "project_", "project"),
    ("plans", "proposal_", "proposal"),
    ("plans", "improvement_", "improvement"),
    ("plans", "practice_", "improvement"),
    ("plans", "working_group_", "group"),
    ("plans", "meeting_", "meeting"),
    ("plans", "agenda_item_create", "meeting"),
    ("plans", "agenda_item_", "item"),
    ("plans", "report_start", "project_period"),
    ("plans", "report_", "report"),
    ("plans", "attachment_", "attachment"),
    ("feedback", "window_", "window"),
    ("feedback", "survey_", "survey"),
    ("feedback", "question_", "question"),
    ("feedback", "paper_entry", "survey"),
    ("feedback", "response_import", "survey"),
    ("feedback", "voice_", "voice"),
    ("reports", "", "job"),
]


def _kind(namespace, name):
    for ns, prefix, kind in PREFIXES:
        if ns == namespace and name.startswith(prefix):
            return kind
    raise AssertionError(f"{namespace}:{name} has ids but no object in PREFIXES")


def every_url(objects):
    """The home page, and every URL of plans, feedback and reports with this office's
    objects for its ids."""
    urls = [reverse("home")]
    for namespace, patterns in (
        ("plans", plans_urls),
        ("feedback", feedback_urls),
        ("reports", reports_urls),
    ):
        for pattern in patterns:
            assert isinstance(pattern, URLPattern)
            name = f"{namespace}:{pattern.name}"
            converters = re.findall(r"<(\w+):", str(pattern.pattern))
            if not converters:
                urls.append(reverse(name))
            elif converters == ["slug"]:
                urls.append(reverse(name, args=["satisfaction"]))
            else:
                kind = _kind(namespace, pattern.name)
                if kind == "project_period":
                    args = [objects["project"].pk, objects["period"].pk]
                else:
                    args = [objects[kind].pk]
                urls.append(reverse(name, args=args))
    return urls


@pytest.fixture
def objects(office, sections, people, settings, tmp_path):
    from plans.models import Attachment, ProgressReport, ReportingPeriod

    settings.MEDIA_ROOT = tmp_path
    plan = PlanFactory(office=office, title="秘匿計画名")
    group = WorkingGroupFactory(office=office, lead=people.lead, name="秘匿ワーキング")
    project = ProjectFactory(
        plan=plan, title="秘匿事業名", working_group=group, section=sections.kumin
    )
    meeting = MeetingFactory(office=office, title="秘匿会議")
    period = ReportingPeriod.objects.create(
        plan=plan,
        number=1,
        label="第1四半期（4〜6月）",
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2026, 6, 30),
        due_on=datetime.date(2026, 7, 10),
    )
    report = ProgressReport.objects.create(project=project, period=period, author=people.lead)
    attachment = Attachment(
        report=report,
        original_name="秘匿改善.txt",
        content_type="text/plain",
        size=5,
        uploaded_by=people.lead,
    )
    attachment.file.save("upload", ContentFile("秘匿事業名".encode()), save=False)
    attachment.save()
    window = WindowFactory(section=sections.kumin, name="秘匿窓口")
    survey = SurveyFactory(office=office, title="秘匿アンケート", created_by=people.subcommittee)
    survey.windows.set([window])
    satisfaction = QuestionFactory(survey=survey, order=1)
    free_text = QuestionFactory(survey=survey, order=2, kind="text", text="ご意見")
    response = ResponseFactory(survey=survey, window=window)
    AnswerFactory(response=response, question=satisfaction, number=5)
    AnswerFactory(response=response, question=free_text, text="秘匿の自由記述")
    voice = VoiceFactory(
        office=office,
        section=sections.kumin,
        summary="秘匿の声",
        contact_name="区民花子",
        contact_info="090-0000-1234",
        recorded_by=people.staff,
    )
    job = ReportJob.objects.create(
        kind="annual_plan",
        params={"plan": plan.pk},
        requested_by=people.subcommittee,
        office=office,
    )
    return {
        "plan": plan,
        "project": project,
        "period": ReportingPeriod.objects.create(
            plan=plan,
            number=2,
            label="第2四半期（7〜9月）",
            starts_on=datetime.date(2026, 7, 1),
            ends_on=datetime.date(2026, 9, 30),
            due_on=datetime.date(2026, 10, 9),
        ),
        "report": report,
        "attachment": attachment,
        "proposal": ProposalFactory(
            plan=plan, title="秘匿企画案", proposer=people.staff, section=sections.kumin
        ),
        "improvement": ImprovementFactory(author=people.staff, title="秘匿改善"),
        "group": group,
        "meeting": meeting,
        "item": AgendaItemFactory(meeting=meeting, plan=plan, presented_version=plan.version),
        "window": window,
        "survey": survey,
        "question": satisfaction,
        "voice": voice,
        "job": job,
    }


def page_text(response):
    """The text a user gets from a response: the page, the CSV, or every cell of the .xlsx."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = openpyxl.load_workbook(io.BytesIO(content))
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    return content.decode("utf-8-sig", errors="replace")


def leaks(client, urls):
    """The URLs that answered 200 with one of the office's records in it."""
    found = []
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            continue
        text = page_text(response)
        seen = [m for m in MARKERS if m in text]
        if seen:
            found.append((url, seen))
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("role", SECTIONLESS_ROLES, ids=str)
def test_a_user_without_a_section_sees_no_record_of_any_office(client, objects, role):
    user = UserFactory(username=f"nosection-{role}", roles=[role], section=None)
    client.force_login(user)
    assert leaks(client, every_url(objects)) == []


@pytest.mark.django_db
def test_the_probe_sees_the_records_with_a_section(client, people, objects):
    """The same pages show the markers to the subcommittee of the office: the probe above
    would notice a leak."""
    client.force_login(people.subcommittee)
    found = dict(leaks(client, every_url(objects)))
    assert "秘匿事業名" in found[reverse("plans:project_detail", args=[objects["project"].pk])]
    assert "区民花子" in found[reverse("feedback:voice_detail", args=[objects["voice"].pk])]
    assert "秘匿の声" in found[reverse("feedback:voice_export_csv")]
    assert "秘匿事業名" in found[reverse("plans:project_export_xlsx")]


@pytest.mark.django_db
def test_an_administrator_without_a_section_sees_every_office(client, office, objects):
    admin = UserFactory(username="root", roles=[Role.ADMINISTRATOR], section=None)
    assert admin.has_perm(SEE_EVERY_OFFICE)
    scope = office_scope_of(admin)
    assert scope.every_office and not scope.is_empty
    client.force_login(admin)
    assert "秘匿事業名" in client.get(reverse("plans:project_list")).content.decode()
    assert "秘匿の声" in client.get(reverse("feedback:voice_list")).content.decode()


@pytest.mark.django_db
def test_a_user_with_a_section_is_scoped_to_their_office_even_with_the_permission(stranger, office):
    from django.contrib.auth.models import Permission

    stranger.user_permissions.add(Permission.objects.get(codename="see_every_office"))
    stranger = type(stranger).objects.get(pk=stranger.pk)
    scope = office_scope_of(stranger)
    assert scope.office == stranger.office and not scope.every_office


@pytest.mark.django_db
def test_only_administrators_and_the_city_planning_bureau_hold_the_city_wide_permission(people):
    holders = {name for name in vars(people) if getattr(people, name).has_perm(SEE_EVERY_OFFICE)}
    assert holders == {"admin", "city"}


@pytest.mark.django_db
def test_the_city_planning_bureau_reads_every_office(client, people, objects):
    scope = office_scope_of(people.city)
    assert scope.every_office
    client.force_login(people.city)
    assert "秘匿事業名" in client.get(reverse("plans:project_list")).content.decode()
    assert "秘匿の声" in client.get(reverse("feedback:voice_list")).content.decode()
    # but never a resident's name and contact
    page = client.get(reverse("feedback:voice_detail", args=[objects["voice"].pk]))
    assert page.status_code == 200
    assert "区民花子" not in page.content.decode()
    assert "090-0000-1234" not in page.content.decode()


@pytest.mark.django_db
def test_scope_of_a_sectionless_user_filters_to_nothing_without_a_query(
    django_assert_num_queries,
):
    from plans.models import AnnualPlan

    user = UserFactory(section=None, roles=[Role.STAFF])
    scope = office_scope_of(user)
    assert scope.is_empty
    with django_assert_num_queries(0):
        assert list(scope.apply(AnnualPlan.objects.all())) == []
        assert list(AnnualPlan.objects.filter(**scope.lookup("office"))) == []


@pytest.mark.django_db
def test_a_sectionless_subcommittee_member_has_no_office_to_ask_a_report_of(objects):
    from feedback.analysis.report import SatisfactionForm

    user = UserFactory(username="nosection", roles=[Role.SUBCOMMITTEE], section=None)
    data = {"fiscal_year": "2026", "office": str(objects["plan"].office_id)}
    form = SatisfactionForm(data, user=user)
    assert list(form.fields["office"].queryset) == []
    assert not form.is_valid()


@pytest.mark.django_db
def test_within_office_scopes_through_for_office_or_through_a_path(
    people, stranger, django_assert_num_queries
):
    """Every app's access helpers scope through `within_office`: by the QuerySet's
    `for_office` (Section), or by the lookup `path` of a model that has none (User)."""
    from django.contrib.auth import get_user_model

    from takatsu_portal.accounts.models import Section
    from takatsu_portal.accounts.permissions import within_office

    users = get_user_model().objects.all()
    path = "section__department__office"
    assert set(within_office(people.staff, Section.objects.all())) == set(
        Section.objects.filter(department__office=people.staff.office)
    )
    assert stranger not in within_office(people.staff, users, path=path)
    assert set(within_office(stranger, users, path=path)) == {stranger}
    nobody = UserFactory(username="nosection2", roles=[Role.SUBCOMMITTEE], section=None)
    scoped = [within_office(nobody, users, path=path), within_office(nobody, Section.objects.all())]
    with django_assert_num_queries(0):
        assert [list(qs) for qs in scoped] == [[], []]
    admin = UserFactory(username="root2", roles=[Role.ADMINISTRATOR], section=None)
    assert set(within_office(admin, users, path=path)) == set(users)
