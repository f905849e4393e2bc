"""Each URL of the plans app × each role (and anonymous, and a member of another office) →
the answer the design expects. GET for pages; POST with an empty form for actions, which must
be refused (403) before the form is read, or answered with the form's errors (400 / 200)."""

import datetime

import pytest
from django.urls import reverse

from plans.urls import urlpatterns

from .factories import (
    AgendaItemFactory,
    ImprovementFactory,
    MeetingFactory,
    PlanFactory,
    ProjectFactory,
    ProposalFactory,
)

ROLES = ["staff", "lead", "subcommittee", "council", "manager", "admin", "city"]
ALL = set(ROLES)
# The city planning bureau (no section) reads every office and writes nothing.
WARD = ALL - {"city"}
OK = 200

# name → (method, object kind, who may (status for them), status for the others)
MATRIX = {
    "index": ("get", None, ALL, OK),
    "plan_create": ("get", None, {"subcommittee"}, OK),
    "plan_detail": ("get", "plan", ALL, OK),
    "plan_edit": ("get", "plan", {"subcommittee"}, OK),
    "plan_advance": ("post", "plan", {"subcommittee"}, 400),
    "plan_send_back": ("post", "plan", set(), None),  # a draft plan cannot be sent back
    "plan_next_year": ("post", "plan", {"subcommittee"}, 302),
    "plan_delete": ("get", "plan", {"subcommittee"}, OK),
    "plan_history": ("get", "plan", ALL, OK),
    "plan_budget": ("get", "plan", ALL, OK),
    "project_list": ("get", None, ALL, OK),
    "project_export_csv": ("get", None, ALL, OK),
    "project_export_xlsx": ("get", None, ALL, OK),
    "project_import": ("get", None, {"subcommittee"}, OK),
    "project_create": ("get", "plan_query", {"subcommittee", "lead"}, OK),
    "project_detail": ("get", "project", ALL, OK),
    "project_edit": ("get", "project", {"subcommittee", "lead"}, OK),
    "project_delete": ("get", "project", {"subcommittee"}, OK),
    "project_history": ("get", "project", ALL, OK),
    "proposal_list": ("get", None, ALL, OK),
    "proposal_create": ("get", None, WARD, OK),
    "proposal_detail": ("get", "proposal", ALL, OK),
    "proposal_edit": ("get", "proposal", {"staff"}, OK),  # the proposer
    "proposal_decide": ("post", "proposal", {"subcommittee"}, 400),
    "proposal_history": ("get", "proposal", ALL, OK),
    "proposal_withdraw": ("get", "proposal", {"staff"}, OK),  # the proposer confirms
    "proposal_move": ("post", "proposal", {"subcommittee"}, 400),  # no plan chosen
    "improvement_list": ("get", None, ALL, OK),
    "improvement_good_practices": ("get", None, ALL, OK),
    "improvement_create": ("get", None, WARD, OK),
    "improvement_detail": ("get", "improvement", ALL, OK),
    "improvement_edit": ("get", "improvement", {"staff"}, OK),  # the author
    "improvement_acknowledge": ("post", "improvement", {"manager"}, 400),
    "improvement_history": ("get", "improvement", ALL, OK),
    # Sharing a good practice city-wide: the subcommittee (an empty form: back to the page).
    "improvement_share_citywide": ("post", "good_practice", {"subcommittee"}, 302),
    "improvement_withdraw_citywide": ("post", "good_practice", {"subcommittee"}, 302),
    # 他区の優良事例: the practice another ward (the stranger's) shared city-wide; copying it
    # is for ward staff (the plan is a draft: open for proposals).
    "practice_list": ("get", None, ALL, OK),
    "practice_detail": ("get", "practice", ALL, OK),
    "practice_copy": ("get", "practice", WARD, OK),
    "working_group_list": ("get", None, ALL, OK),
    "working_group_create": ("get", None, {"subcommittee"}, OK),
    "working_group_detail": ("get", "group", ALL, OK),
    "working_group_edit": ("get", "group", {"subcommittee", "lead"}, OK),
    "meeting_list": ("get", None, ALL, OK),
    "meeting_create": ("get", None, {"subcommittee", "council"}, OK),
    "meeting_detail": ("get", "meeting", ALL, OK),
    "meeting_edit": ("get", "meeting", {"subcommittee", "council"}, OK),
    "agenda_item_create": ("get", "meeting", {"subcommittee", "council"}, OK),
    "agenda_item_decide": ("post", "item", {"council"}, 400),
    # An empty choice takes the presented report off: back to the meeting.
    "agenda_item_present": ("post", "item", {"subcommittee", "council"}, 302),
    "progress": ("get", None, ALL - {"staff"}, OK),
    "project_timeline": ("get", "project", ALL - {"staff"}, OK),
    "project_evaluation": ("get", "project", ALL - {"staff"}, OK),
    "plan_evaluation": ("get", "plan", ALL - {"staff"}, OK),
    "plan_reporting": ("get", "plan", ALL - {"staff"}, OK),
    "report_start": ("get", "project_period", {"subcommittee", "lead"}, OK),
    "report_detail": ("get", "report", ALL - {"staff"}, OK),
    "report_edit": ("get", "report", {"subcommittee", "lead"}, OK),
    "report_submit": ("post", "report", {"subcommittee", "lead"}, 302),
    "report_review": ("post", "report", {"subcommittee"}, 400),
    "attachment_download": ("get", "attachment", ALL - {"staff"}, OK),
    "attachment_delete": ("post", "attachment", {"subcommittee", "lead"}, 302),
}


def test_the_matrix_covers_every_url_of_the_app():
    assert {p.name for p in urlpatterns} == set(MATRIX)


@pytest.fixture
def objects(people, office, group, sections, settings, tmp_path, stranger):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from plans.models import Attachment, ProgressReport, ReportingPeriod

    settings.MEDIA_ROOT = tmp_path
    plan = PlanFactory(office=office)
    project = ProjectFactory(plan=plan, working_group=group, section=sections.kumin)
    meeting = MeetingFactory(office=office)
    period = ReportingPeriod.objects.create(
        plan=plan,
        number=1,
        label="第1四半期（4〜6月）",
        starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2026, 6, 30),
        due_on=datetime.date(2026, 7, 10),
    )
    report = ProgressReport.objects.create(project=project, period=period, author=people.lead)
    next_period = ReportingPeriod.objects.create(
        plan=plan,
        number=2,
        label="第2四半期（7〜9月）",
        starts_on=datetime.date(2026, 7, 1),
        ends_on=datetime.date(2026, 9, 30),
        due_on=datetime.date(2026, 10, 9),
    )
    attachment = Attachment(
        report=report,
        original_name="写真.png",
        content_type="text/plain",
        size=5,
        uploaded_by=people.lead,
    )
    attachment.file.save("upload", ContentFile(b"hello"), save=False)
    attachment.save()
    return {
        "period": next_period,  # no report yet: report_start shows its page
        "report": report,
        "attachment": attachment,
        "plan": plan,
        "project": project,
        "proposal": ProposalFactory(plan=plan, proposer=people.staff, section=sections.kumin),
        "improvement": ImprovementFactory(author=people.staff),
        "good_practice": ImprovementFactory(
            author=people.staff, acknowledged_at=timezone.now(), is_good_practice=True
        ),
        "practice": ImprovementFactory(
            author=stranger,
            acknowledged_at=timezone.now(),
            is_good_practice=True,
            shared_citywide_at=timezone.now(),
        ),
        "group": group,
        "meeting": meeting,
        "item": AgendaItemFactory(meeting=meeting, plan=plan, presented_version=plan.version),
    }


def url_for(name, kind, objects):
    if kind is None:
        return reverse(f"plans:{name}")
    if kind == "plan_query":
        return reverse(f"plans:{name}") + f"?plan={objects['plan'].pk}"
    if kind == "project_period":
        return reverse(f"plans:{name}", args=[objects["project"].pk, objects["period"].pk])
    return reverse(f"plans:{name}", args=[objects[kind].pk])


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer(client, people, objects, role, name):
    method, kind, allowed, status = MATRIX[name]
    client.force_login(getattr(people, role))
    response = getattr(client, method)(url_for(name, kind, objects))
    if role in allowed:
        assert response.status_code == status, (role, name, response.status_code)
    else:
        assert response.status_code == 403, (role, name, response.status_code)
        assert "このページにはアクセスできません" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_anonymous_is_sent_to_the_login_page(client, objects, name):
    method, kind, _, _ = MATRIX[name]
    response = getattr(client, method)(url_for(name, kind, objects))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, row in MATRIX.items() if row[1] not in (None,)))
def test_a_member_of_another_office_finds_nothing(client, stranger, objects, name):
    method, kind, _, _ = MATRIX[name]
    client.force_login(stranger)
    response = getattr(client, method)(url_for(name, kind, objects))
    expected = {403, 404} if kind == "plan_query" else {404}
    assert response.status_code in expected, (name, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, row in MATRIX.items() if row[0] == "post"))
def test_the_city_planning_bureau_is_refused_every_action_with_its_reason(
    client, people, objects, name
):
    from takatsu_portal.accounts.permissions import CITY_READ_ONLY

    method, kind, _, _ = MATRIX[name]
    client.force_login(people.city)
    response = client.post(url_for(name, kind, objects))
    assert response.status_code == 403, (name, response.status_code)
    assert CITY_READ_ONLY in response.content.decode()
