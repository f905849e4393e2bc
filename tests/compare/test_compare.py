"""区役所比較: who reaches it, what it counts, its exports and report kind, its fixed number of
queries at 2 and 7 offices; and the city planning bureau's read-only access."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from feedback.models import ResidentVoice
from plans.models import PlanDecision, Project, Proposal, Stage
from plans.progress.board import board_projects
from takatsu_portal.accounts.models import User
from takatsu_portal.accounts.permissions import CITY_READ_ONLY
from takatsu_portal.accounts.roles import Role
from takatsu_portal.compare.stats import wilson_interval
from takatsu_portal.core.fiscal import today
from takatsu_portal.reports.models import ReportJob
from tests.factories import DepartmentFactory, OfficeFactory, SectionFactory, UserFactory
from tests.feedback.factories import (
    AnswerFactory,
    QuestionFactory,
    ResponseFactory,
    SurveyFactory,
    VoiceFactory,
)
from tests.plans.factories import PlanFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def on_a_day_in_the_year(monkeypatch):
    monkeypatch.setattr("takatsu_portal.core.fiscal.clock", lambda: datetime.date(2026, 11, 25))


def ward(code, name, *, answers=(), approved_on=None, voices=()):
    """An office with a plan of 2026 (two projects), survey answers (scores) and voices
    [(category, answered after N days or None)]."""
    office = OfficeFactory(code=code, name=name)
    section = SectionFactory(department=DepartmentFactory(office=office), name=f"{name}区民課")
    user = UserFactory(username=f"{code}-sub", roles=[Role.SUBCOMMITTEE], section=section)
    plan = PlanFactory(office=office, title=f"{name}の計画", stage=Stage.IN_PROGRESS)
    ProjectFactory(plan=plan, section=section, status="in_progress", title=f"{name}の事業")
    ProjectFactory(plan=plan, section=section, status="completed")
    if approved_on:
        decision = PlanDecision.objects.create(
            plan=plan,
            kind=PlanDecision.Kind.ADVANCE,
            from_stage=Stage.REPORTED,
            to_stage=Stage.PLAN_APPROVED,
            comment="承認",
            decided_by=user,
            plan_version=3,
        )
        PlanDecision.objects.filter(pk=decision.pk).update(
            decided_at=timezone.make_aware(
                datetime.datetime.combine(approved_on, datetime.time(16))
            )
        )
    survey = SurveyFactory(office=office, title=f"{name}アンケート", created_by=user)
    overall = QuestionFactory(survey=survey, order=1)
    later = QuestionFactory(survey=survey, order=2, text="待ち時間はいかがでしたか。")
    for score in answers:
        response = ResponseFactory(survey=survey)
        AnswerFactory(response=response, question=overall, number=Decimal(score))
        AnswerFactory(response=response, question=later, number=Decimal(1))
    for index, (category, after) in enumerate(voices):
        received = datetime.date(2026, 6, 1)
        VoiceFactory(
            office=office,
            section=section,
            category=category,
            summary=f"{name}の声{index}",
            received_on=received,
            due_on=received + datetime.timedelta(days=14),
            recorded_by=user,
            answered_at=(
                timezone.make_aware(
                    datetime.datetime.combine(
                        received + datetime.timedelta(days=after), datetime.time(15)
                    )
                )
                if after is not None
                else None
            ),
        )
    return office


@pytest.fixture
def city(people):
    """The city planning bureau's account of the shared fixture: no section, role CITY."""
    return people.city


@pytest.fixture
def two_wards():
    return [
        ward(
            "takatsu",
            "高津区役所",
            answers=[5, 5, 4, 4, 4, 3, 2, 5, 4, 1],
            approved_on=datetime.date(2026, 4, 24),
            voices=[("waiting", 3), ("waiting", 20), ("manner", None)],
        ),
        ward(
            "miyamae",
            "宮前区役所",
            answers=[5, 2],
            approved_on=datetime.date(2026, 5, 15),
            voices=[("jargon", 5)],
        ),
    ]


def test_wilson_interval_of_a_share():
    assert wilson_interval(5, 10) == (23.7, 76.3)
    assert wilson_interval(0, 4) == (0.0, 49.0)
    assert wilson_interval(0, 0) is None
    # The smaller ward's interval is much wider for the same share.
    small, large = wilson_interval(8, 10), wilson_interval(800, 1000)
    assert small[1] - small[0] > 4 * (large[1] - large[0])


def _tables(response):
    return {table.metric.key: table for table in response.context["comparison"].tables}


def _row(table, office):
    return dict(
        zip(
            [c.key for c in table.metric.columns],
            next(values for o, values in table.rows if o == office),
            strict=True,
        )
    )


def test_the_city_sees_every_office_side_by_side(client, city, two_wards):
    takatsu, miyamae = two_wards
    client.force_login(city)
    response = client.get(reverse("compare:index"), {"fy": 2026})
    assert response.status_code == 200
    tables = _tables(response)
    assert [o.name for o in response.context["comparison"].offices] == ["高津区役所", "宮前区役所"]
    # The plan and its end-of-April deadline.
    assert _row(tables["plan"], takatsu)["deadline"] == "期限内"
    assert _row(tables["plan"], miyamae)["deadline"] == "期限後"
    assert _row(tables["plan"], miyamae)["approved"] == datetime.date(2026, 5, 15)
    # Projects by status.
    assert _row(tables["projects_status"], takatsu)["in_progress"] == 1
    assert _row(tables["projects_status"], takatsu)["moving"] == 100
    # Satisfaction: every satisfaction question's answers, as the ward's own analysis counts
    # them (ten responses, two questions each: the second always 1), with n and the Wilson
    # interval.
    satisfaction = _row(tables["satisfaction"], takatsu)
    assert satisfaction["answers"] == 20
    assert satisfaction["share"] == 35.0
    assert (satisfaction["low"], satisfaction["high"]) == wilson_interval(7, 20)
    small = _row(tables["satisfaction"], miyamae)
    assert (small["answers"], small["share"]) == (4, 25.0)
    assert small["width"] > satisfaction["width"]
    # Voices by category and answered by the due date (an open one past its due date counts).
    assert _row(tables["voices"], takatsu)["waiting"] == 2
    assert _row(tables["voices"], takatsu)["total"] == 3
    assert _row(tables["voices_on_time"], takatsu)["waiting"] == 50.0
    assert _row(tables["voices_on_time"], takatsu)["all"] == round(100 / 3, 1)
    assert _row(tables["voices_on_time"], miyamae)["jargon"] == 100.0
    page = response.content.decode()
    assert "95%信頼区間の下限" in page
    assert page.count("<svg") >= 4  # the charts, each with its table
    assert "対象の年度：令和8年度（2026年度）" in page


def test_the_citys_satisfaction_is_the_figure_each_wards_analysis_page_shows(
    client, city, two_wards
):
    client.force_login(city)
    tables = _tables(client.get(reverse("compare:index"), {"fy": 2026}))
    for office in two_wards:
        member = User.objects.get(username=f"{office.code}-sub")
        client.force_login(member)
        response = client.get(reverse("feedback:analysis"), {"fiscal_year": 2026})
        assert response.status_code == 200
        ward_figure = response.context["results"].comparison.this
        city_figure = _row(tables["satisfaction"], office)
        assert ward_figure.count > 0
        assert (city_figure["answers"], city_figure["share"]) == (
            ward_figure.count,
            ward_figure.percent,
        )


def test_the_voices_are_counted_once_for_both_metrics_by_the_rule_of_the_wards_statistics(
    settings, two_wards
):
    from feedback.comparison import voice_count_values, voice_rate_values
    from feedback.voices.statistics import voice_statistics_data
    from takatsu_portal.core.fiscal import FiscalYear

    settings.SHARED_CACHE_SECONDS = 300
    fiscal_year = FiscalYear(2026)
    with CaptureQueriesContext(connection) as queries:
        counts = voice_count_values(two_wards, fiscal_year)
        rates = voice_rate_values(two_wards, fiscal_year)
    assert len([q for q in queries if "feedback_residentvoice" in q["sql"]]) == 1
    for office in two_wards:
        ward_page = voice_statistics_data(ResidentVoice.objects.filter(office=office), fiscal_year)
        assert counts[office.pk]["total"] == ward_page["total"]
        assert rates[office.pk]["all"] == ward_page["on_time_rate"]


def test_the_city_exports_the_comparison_as_csv_and_xlsx(client, city, two_wards):
    client.force_login(city)
    response = client.get(reverse("compare:export_csv"), {"fy": 2026})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert text.startswith("指標,区役所,項目,値,単位")
    assert "区民満足度（総合）,宮前区役所,回答件数,4,件" in text
    response = client.get(reverse("compare:export_xlsx"), {"fy": 2026})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "一覧"
    assert "区民満足度（総合）" in book.sheetnames
    rows = list(book["区民満足度（総合）"].iter_rows(values_only=True))
    assert rows[1][:3] == ("高津区役所", 20, 35)
    response = client.get(reverse("compare:export_csv"), {"fy": 2026, "encoding": "cp932"})
    assert "区民満足度".encode("cp932") in response.content


@pytest.mark.parametrize("role", ["staff", "lead", "subcommittee", "council", "manager"])
def test_the_offices_roles_do_not_reach_it(client, people, role):
    client.force_login(getattr(people, role))
    for name in ("compare:index", "compare:export_csv", "compare:export_xlsx"):
        response = client.get(reverse(name))
        assert response.status_code == 403
        assert "総合企画局の職員と管理者が利用できます" in response.content.decode()


def test_an_administrator_of_a_ward_compares_only_their_own_office(client, people, stranger):
    client.force_login(people.admin)
    response = client.get(reverse("compare:index"))
    assert response.status_code == 200
    assert [o.code for o in response.context["comparison"].offices] == ["takatsu"]
    assert not response.context["may_request_report"]


def test_an_unknown_year_is_not_found(client, city):
    client.force_login(city)
    assert client.get(reverse("compare:index"), {"fy": "1999"}).status_code == 404
    assert client.get(reverse("compare:index"), {"fy": "abc"}).status_code == 404


def test_the_navigation_links_the_page_for_the_city_only(client, city, people):
    client.force_login(city)
    assert reverse("compare:index") in client.get(reverse("home")).content.decode()
    client.force_login(people.subcommittee)
    assert reverse("compare:index") not in client.get(reverse("home")).content.decode()


def _count_queries(client, path):
    """The queries of one request, after one before it (which saves the session: the
    session is touched at most once a minute, SessionTimeoutMiddleware)."""
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_a_fixed_number_of_queries_at_two_and_seven_offices(client, city):
    client.force_login(city)
    names = ["川崎", "幸", "中原", "高津", "宮前", "多摩", "麻生"]
    for index, name in enumerate(names[:2]):
        ward(f"w{index}", f"{name}区役所（例{index}）", answers=[5, 3], voices=[("waiting", 2)])
    path = reverse("compare:index") + "?fy=2026"
    export = reverse("compare:export_xlsx") + "?fy=2026"
    two = _count_queries(client, path)
    two_export = _count_queries(client, export)
    for index, name in enumerate(names[2:], start=2):
        ward(f"w{index}", f"{name}区役所（例{index}）", answers=[4, 4, 2], voices=[("manner", 20)])
    seven = _count_queries(client, path)
    seven_export = _count_queries(client, export)
    # The seven wards made here are compared (beside any office another test of this module
    # shares: the named users' office is made once per module).
    shown = {office.name for office, _ in _tables(client.get(path))["plan"].rows}
    assert {f"{name}区役所（例{index}）" for index, name in enumerate(names)} <= shown
    assert two == seven
    assert two_export == seven_export


# ---------------------------------------------------------------------------------------------
# The city-wide report kind


def test_the_city_asks_for_the_citywide_report_which_no_ward_sees(client, city, people):
    client.force_login(city)
    response = client.post(
        reverse("reports:request", args=["citywide"]), {"citywide-fiscal_year": "2026"}
    )
    assert response.status_code == 302
    job = ReportJob.objects.get(kind="citywide")
    assert job.office is None and job.params == {"fiscal_year": 2026}
    assert client.get(reverse("reports:detail", args=[job.pk])).status_code == 200
    client.force_login(people.subcommittee)
    assert client.get(reverse("reports:detail", args=[job.pk])).status_code == 404
    response = client.post(
        reverse("reports:request", args=["citywide"]), {"citywide-fiscal_year": "2026"}
    )
    assert response.status_code == 403


def test_the_citywide_report_prints_every_office(two_wards):
    from takatsu_portal.compare.report import build_citywide

    built = build_citywide({"fiscal_year": 2026})
    assert built.title == "令和8年度 区役所比較報告書"
    assert "高津区役所" in built.html and "宮前区役所" in built.html
    assert "区民満足度（総合）" in built.html
    assert built.facts == {"fiscal_year": 2026, "offices": 2}


# ---------------------------------------------------------------------------------------------
# The city planning bureau writes nothing


def test_the_city_is_refused_every_write_with_a_reason(client, city, two_wards):
    office = two_wards[0]
    client.force_login(city)
    for url in (
        reverse("plans:proposal_create"),
        reverse("plans:improvement_create"),
        reverse("feedback:voice_create"),
        reverse("plans:plan_create"),
    ):
        response = client.post(url, {"title": "総合企画局の書込み"})
        assert response.status_code == 403, url
        assert CITY_READ_ONLY in response.content.decode()
    assert not Proposal.objects.exists()
    assert not ResidentVoice.objects.filter(summary="総合企画局の書込み").exists()
    # Reading stays open: the ward's plan, its projects and voices.
    assert client.get(reverse("plans:project_list")).status_code == 200
    assert "高津区役所の事業" in client.get(reverse("plans:project_list")).content.decode()
    assert client.get(reverse("feedback:voice_list")).status_code == 200
    assert office.name in client.get(reverse("plans:index")).content.decode()


def test_a_person_with_a_ward_role_and_the_citys_keeps_the_ward_roles_writes(client, people):
    people.subcommittee.groups.add(
        *type(people.subcommittee.groups.first()).objects.filter(name=Role.CITY.label)
    )
    client.force_login(people.subcommittee)
    assert client.get(reverse("plans:proposal_create")).status_code == 200


def test_progress_reports_due_on_time_late_and_missing(client, city):
    from plans.models import ProgressReport, ReportingPeriod

    office = ward("takatsu", "高津区役所")
    plan = office.plans.get()
    periods = [
        ReportingPeriod.objects.create(
            plan=plan,
            number=number,
            label=label,
            starts_on=starts,
            ends_on=ends,
            due_on=due,
        )
        for number, label, starts, ends, due in [
            (
                1,
                "第1四半期",
                datetime.date(2026, 4, 1),
                datetime.date(2026, 6, 30),
                datetime.date(2026, 7, 10),
            ),
            (
                2,
                "第2四半期",
                datetime.date(2026, 7, 1),
                datetime.date(2026, 9, 30),
                datetime.date(2026, 10, 9),
            ),
            (
                3,
                "第3四半期",
                datetime.date(2026, 10, 1),
                datetime.date(2026, 12, 31),
                datetime.date(2027, 1, 8),
            ),
        ]
    ]
    first, later = plan.projects.order_by("pk")  # in progress, completed
    first.status = "in_progress"
    first.save()
    later.status = "in_progress"
    later.starts_on = datetime.date(2026, 8, 1)  # added mid-year: nothing due for Q1
    later.save()
    # A planned project owes its reports, as the board and the reminders count them.
    ProjectFactory(plan=plan, status="planned")
    # A finished project owes nothing more: its reports are not counted (no rate above 100%).
    done = ProjectFactory(plan=plan, status="completed")
    # A report sent back for changes is not filed: the board shows it overdue, so it is missing.
    sent_back = ProjectFactory(plan=plan, status="in_progress")

    def report(project, period, day, state=ProgressReport.State.SUBMITTED):
        ProgressReport.objects.create(
            project=project,
            period=period,
            author=city,
            state=state,
            submitted_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(12))),
        )

    report(first, periods[0], datetime.date(2026, 7, 9))  # on time
    report(first, periods[1], datetime.date(2026, 10, 20))  # late
    # `later` files nothing for Q2 (missing); Q3 is not due yet.
    report(later, periods[0], datetime.date(2026, 7, 9))  # before it started: not owed
    report(done, periods[0], datetime.date(2026, 7, 1))
    report(done, periods[1], datetime.date(2026, 10, 1))
    report(sent_back, periods[0], datetime.date(2026, 7, 1), ProgressReport.State.CHANGES_REQUESTED)

    client.force_login(city)
    row = _row(_tables(client.get(reverse("compare:index"), {"fy": 2026}))["progress"], office)
    assert row == {"expected": 7, "on_time": 1, "late": 1, "missing": 5, "rate": 14.3}
    # The missing ones are the board's overdue reports.
    board = board_projects(Project.objects.filter(plan=plan), on=today())
    assert sum(project.overdue for project in board) == row["missing"]


# ---------------------------------------------------------------------------------------------
# The page's cache (comparison.comparison_cached)

# Queries of the page: session, user, the offices, the metrics' stamps (survey answers,
# training), and, computed afresh, every metric's grouped queries: the same at any number of
# offices.
CACHED_MAX = 6
AFRESH_MAX = 20


def _wards(count, start=0):
    names = ["川崎", "幸", "中原", "高津", "宮前", "多摩", "麻生"]
    return [
        ward(f"w{i}", f"{names[i]}区役所（例{i}）", answers=[5, 3], voices=[("waiting", 2)])
        for i in range(start, count)
    ]


@pytest.mark.parametrize("seconds", [0, 300], ids=["afresh", "cached"])
def test_the_page_runs_a_fixed_number_of_queries_at_two_and_seven_wards(
    client, city, settings, django_assert_max_num_queries, seconds
):
    settings.SHARED_CACHE_SECONDS = seconds
    client.force_login(city)
    path = reverse("compare:index") + "?fy=2026"
    limit = AFRESH_MAX if seconds == 0 else CACHED_MAX
    _wards(2)
    client.get(path)
    with django_assert_max_num_queries(limit) as two:
        assert client.get(path).status_code == 200
    _wards(7, start=2)
    client.get(path)
    with django_assert_max_num_queries(limit) as seven:
        response = client.get(path)
    assert len(two) == len(seven)
    assert response.content.decode().count("例") >= 7 * 2  # every ward in the tables


def test_the_cached_page_shows_a_change_at_the_next_request(client, city, settings, two_wards):
    settings.SHARED_CACHE_SECONDS = 300
    takatsu, miyamae = two_wards
    client.force_login(city)
    path = reverse("compare:index") + "?fy=2026"
    assert _row(_tables(client.get(path))["satisfaction"], miyamae)["answers"] == 4
    # A resident's answer moves no data generation: the metric's stamp (the newest response).
    survey = miyamae.surveys.get()
    response = ResponseFactory(survey=survey)
    AnswerFactory(response=response, question=survey.questions.get(order=1), number=Decimal(5))
    assert _row(_tables(client.get(path))["satisfaction"], miyamae)["answers"] == 5
    # A change the services report moves the office's generation (here: a project's status).
    project = Project.objects.get(title="高津区役所の事業")
    Project.objects.filter(pk=project.pk).update(status="completed")
    assert _row(_tables(client.get(path))["projects_status"], takatsu)["completed"] == 1
    from takatsu_portal.core import attention

    attention.changed(office=takatsu)
    assert _row(_tables(client.get(path))["projects_status"], takatsu)["completed"] == 2
    # The exports read the same figures.
    text = client.get(reverse("compare:export_csv"), {"fy": 2026}).content.decode("utf-8-sig")
    assert "事業の状況,高津区役所,完了,2,件" in text


def test_a_change_in_an_office_not_compared_keeps_the_cached_comparison(settings, two_wards):
    """An administrator of a ward compares their own office: another ward's change leaves
    the entry (it is stamped with the compared offices' generations only)."""
    from takatsu_portal.compare.comparison import comparison_cached
    from takatsu_portal.core import attention
    from takatsu_portal.core.fiscal import FiscalYear

    settings.SHARED_CACHE_SECONDS = 300
    takatsu, miyamae = two_wards
    comparison_cached([takatsu], FiscalYear(2026))
    attention.changed(office=miyamae)
    with CaptureQueriesContext(connection) as queries:
        comparison_cached([takatsu], FiscalYear(2026))
    assert not [q for q in queries if "plans_project" in q["sql"]]
    attention.changed(office=takatsu)
    with CaptureQueriesContext(connection) as queries:
        comparison_cached([takatsu], FiscalYear(2026))
    assert [q for q in queries if "plans_project" in q["sql"]]
