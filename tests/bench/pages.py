"""The pages people wait on, at three fiscal years of one ward (part of `make bench`).

Builds once (kept for the next run; BENCH_PAGES_REBUILD=1 removes it and builds it again) an
office 「ベンチ区役所（3年度）」 with three fiscal years of data, all with bulk inserts:

- 400 staff in 20 sections, 10 working groups;
- three annual plans (the current fiscal year and the two before it), 100 projects each with
  an indicator, monthly reporting periods and a progress report for every period that has
  ended (accepted, a few submitted or sent back in the current year), proposals;
- council meetings (four a year, five agenda items each);
- 1,500 resident voices over the three years (the recent ones open, some overdue);
- three surveys (one a year) with 60,000 responses in all (about six answers each,
  generate_series, no row through Python);
- notifications and report jobs for the subcommittee member who is benched.

The builders take a `Ward` (code, name, prefixes, number of years): the seven-ward bench
(tests/bench/citywide.py) builds its wards of a year each with them.

Then prints, as JSON, the pages of the page table (label, path, the user who loads it, the
SQL queries of one request counted in-process), which tests.bench.load loads through gunicorn
beside the bare view:

    DJANGO_SETTINGS_MODULE=tests.bench.settings DATABASE_URL=…/takatsu_bench \\
        python -m tests.bench.pages pages.json
"""

import dataclasses
import json
import os
import random
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal

import django

from tests.bench.common import fail, log

OFFICE_CODE = "bench-pages"
OFFICE_NAME = "ベンチ区役所（3年度）"
PASSWORD = os.environ.get("BENCH_PASSWORD", "takatsu-demo")
STAFF = 400
PROJECTS = 100
VOICES = 1500
RESPONSES = 60_000
SECTIONS = [
    ("区民サービス部", ["区民課", "保険年金課", "地域振興課", "生涯学習支援課", "危機管理担当"]),
    (
        "保健福祉センター",
        ["高齢・障害課", "児童家庭課", "衛生課", "保育所等・子育て支援課", "地域支援課"],
    ),
    ("道路公園センター", ["管理課", "整備課", "道路公園管理担当", "公園緑地課", "交通対策担当"]),
    ("総務課ほか", ["総務課", "企画課", "まちづくり推進課", "区政推進課", "会計担当"]),
]
SUBJECTS = [
    "窓口の待ち時間短縮",
    "案内表示の改善",
    "やさしい日本語の推進",
    "職員接遇研修",
    "庁舎のバリアフリー化",
    "オンライン申請の案内",
    "区民の声の共有",
    "子育て世帯への情報発信",
    "高齢者の手続き支援",
    "防災情報の多言語化",
]
ENDS = [
    "の推進",
    "の試行",
    "の拡充",
    "の見直し",
    "の定着",
    "の検証",
    "の周知",
    "の強化",
    "の実施",
    "の改善",
]
VOICE_SUMMARIES = [
    "待ち時間が長かった",
    "案内板が分かりにくい",
    "説明が丁寧でよかった",
    "書類の書き方が難しい",
    "窓口をたらい回しにされた",
    "エレベーターの場所が分からない",
]
WINDOWS = ["住民記録窓口", "証明書発行窓口", "国民健康保険窓口", "子育て相談窓口", "福祉総合窓口"]


@dataclasses.dataclass(frozen=True)
class Ward:
    """What the builders below make one office from: its code and name, the prefix of its
    usernames (and e-mail addresses and survey submission keys), of its staff numbers, and how
    many fiscal years of data it holds (this one and those before it). The page table's office
    is ONE; the city-wide bench (tests/bench/citywide.py) builds seven wards of a year each
    with the same builders."""

    code: str
    name: str
    prefix: str
    staff_prefix: str
    years: int = 3
    sort_order: int = 98

    @property
    def subcommittee(self):
        return f"{self.prefix}-subcommittee"

    @property
    def manager(self):
        return f"{self.prefix}-manager"

    def fiscal_years(self):
        from takatsu_portal.core.fiscal import FiscalYear

        current = FiscalYear.current().year
        return list(range(current - self.years + 1, current + 1))


ONE = Ward(code=OFFICE_CODE, name=OFFICE_NAME, prefix="bench-pages", staff_prefix="pg")


def _fiscal_years(ward=ONE):
    return ward.fiscal_years()


def existing_office(ward=ONE):
    from takatsu_portal.accounts.models import Office

    return Office.objects.filter(code=ward.code).first()


def remove(office):
    """Everything the page bench built (children first: most foreign keys protect)."""
    from django.db import connection, transaction

    log(f"removing {office.name}")
    with transaction.atomic(), connection.cursor() as cursor:
        statements = [
            "DELETE FROM feedback_answer WHERE response_id IN (SELECT r.id FROM feedback_response r"
            " JOIN feedback_survey s ON s.id = r.survey_id WHERE s.office_id = %(o)s)",
            "DELETE FROM feedback_response WHERE survey_id IN"
            " (SELECT id FROM feedback_survey WHERE office_id = %(o)s)",
        ]
        for statement in statements:
            cursor.execute(statement, {"o": office.pk})
    from feedback.models import ResidentVoice, ServiceWindow, Survey
    from plans.models import (
        AgendaItem,
        AnnualPlan,
        CouncilMeeting,
        IndicatorValue,
        ProgressReport,
        Project,
        Proposal,
        WorkingGroup,
    )
    from takatsu_portal.accounts.models import Department, Section, User
    from takatsu_portal.core.models import Notification
    from takatsu_portal.reports.models import ReportJob

    with transaction.atomic():
        users = User.objects.filter(section__department__office=office)
        Notification.objects.filter(recipient__in=users).delete()
        ReportJob.objects.filter(office=office).delete()
        ResidentVoice.objects.filter(office=office).delete()
        for survey in Survey.objects.filter(office=office):
            survey.questions.all().delete()
            survey.delete()
        ServiceWindow.objects.filter(section__department__office=office).delete()
        AgendaItem.objects.filter(meeting__office=office).delete()
        CouncilMeeting.objects.filter(office=office).delete()
        IndicatorValue.objects.filter(report__project__plan__office=office).delete()
        ProgressReport.objects.filter(project__plan__office=office).delete()
        Proposal.objects.filter(plan__office=office).delete()
        Project.objects.filter(plan__office=office).delete()
        for plan in AnnualPlan.objects.filter(office=office):
            plan.periods.all().delete()
        AnnualPlan.objects.filter(office=office).update(previous_plan=None)
        AnnualPlan.objects.filter(office=office).delete()
        WorkingGroup.objects.filter(office=office).delete()
        users.delete()
        Section.objects.filter(department__office=office).delete()
        Department.objects.filter(office=office).delete()
        office.delete()


def build(ward=ONE, *, analyse=True):
    """The office and its fiscal years, in one transaction (a failed build leaves nothing
    behind); `analyse` false leaves ANALYZE to the caller (who builds several offices)."""
    from django.db import transaction

    started = time.perf_counter()

    def step(what):
        log(f"  {what} ({time.perf_counter() - started:.1f} s)")

    log(
        f"building {ward.name}: {STAFF} staff, {ward.years} × {PROJECTS} projects, "
        f"{_voice_count(ward)} voices, {_response_count(ward)} survey responses"
    )
    with transaction.atomic():
        office, sections, users, named = _organisation(ward)
        step("office, sections and staff")
        plans = _plans(office, sections, users, named, ward)
        step("plans, projects, periods and progress reports")
        _council(office, plans, named)
        _voices(office, sections, users, named, ward)
        step("council meetings and resident voices")
        _surveys(office, sections, named, ward)
        step("surveys and responses")
        _notifications_and_jobs(office, plans, named)
        step("notifications and report jobs")
    if analyse:
        analyse_tables()
        step("analysed")
    return office


def _voice_count(ward):
    """VOICES over three years: as many a year for a ward of fewer years."""
    return VOICES * ward.years // 3


def _response_count(ward):
    """RESPONSES over three years (one survey a year)."""
    return RESPONSES // 3 * ward.years


def analyse_tables():
    """ANALYZE the tables the builders fill (the planner's statistics after bulk inserts)."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in (
            "accounts_user",
            "plans_project",
            "plans_progressreport",
            "plans_indicatorvalue",
            "feedback_residentvoice",
            "feedback_response",
            "feedback_answer",
            "core_notification",
            "reports_reportjob",
        ):
            cursor.execute(f"ANALYZE {table}")


def _organisation(ward):
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from plans.models import WorkingGroup
    from takatsu_portal.accounts.models import Department, Office, Section, User
    from takatsu_portal.accounts.roles import Role
    from takatsu_portal.core.guideline import office_guideline_copy

    office = Office.objects.create(code=ward.code, name=ward.name, sort_order=ward.sort_order)
    office_guideline_copy(office=office)
    sections = []
    for order, (department_name, names) in enumerate(SECTIONS):
        department = Department.objects.create(
            office=office, name=department_name, sort_order=order
        )
        sections += Section.objects.bulk_create(
            Section(department=department, name=name, sort_order=n) for n, name in enumerate(names)
        )
    hashed = make_password(PASSWORD)
    users = User.objects.bulk_create(
        User(
            username=f"{ward.prefix}-{n:03d}",
            full_name=f"区役 職員{n:03d}",
            full_name_kana=f"くやく しょくいん{n:03d}",
            staff_number=f"{ward.staff_prefix}{n:05d}",
            email=f"{ward.prefix}-{n:03d}@bench.example.jp",
            section=sections[n % len(sections)],
            password="!",
        )
        for n in range(STAFF)
    )
    named = {
        "subcommittee": User.objects.create(
            username=ward.subcommittee,
            full_name="推進 部会",
            section=sections[0],
            password=hashed,
            email=f"{ward.prefix}-sub@bench.example.jp",
        ),
        "manager": User.objects.create(
            username=ward.manager,
            full_name="区民課 課長",
            section=sections[0],
            password=hashed,
            email=f"{ward.prefix}-manager@bench.example.jp",
        ),
    }
    groups = {role: Group.objects.get(name=role.group_name) for role in Role}
    Through = User.groups.through
    memberships = [Through(user_id=u.pk, group_id=groups[Role.STAFF].pk) for u in users]
    memberships += [
        Through(user_id=named["subcommittee"].pk, group_id=groups[Role.SUBCOMMITTEE].pk),
        Through(user_id=named["subcommittee"].pk, group_id=groups[Role.STAFF].pk),
        Through(user_id=named["manager"].pk, group_id=groups[Role.SECTION_MANAGER].pk),
        Through(user_id=named["manager"].pk, group_id=groups[Role.STAFF].pk),
    ]
    leads = users[:10]
    memberships += [Through(user_id=u.pk, group_id=groups[Role.WG_LEAD].pk) for u in leads]
    Through.objects.bulk_create(memberships)
    first_year = ward.fiscal_years()[0]
    named["groups"] = WorkingGroup.objects.bulk_create(
        WorkingGroup(
            office=office,
            name=f"{SUBJECTS[n]}ワーキング",
            purpose=f"{SUBJECTS[n]}に取り組む。",
            lead=lead,
            established_on=date(first_year, 4, 1),
        )
        for n, lead in enumerate(leads)
    )
    Members = WorkingGroup.members.through
    Members.objects.bulk_create(
        Members(workinggroup_id=group.pk, user_id=users[10 + n * 8 + m].pk)
        for n, group in enumerate(named["groups"])
        for m in range(8)
    )
    return office, sections, users, named


def _plans(office, sections, users, named, ward):
    from django.utils import timezone

    from plans.models import (
        AnnualPlan,
        Indicator,
        IndicatorValue,
        ProgressReport,
        Project,
        Proposal,
        ReportingPeriod,
        Stage,
    )
    from plans.progress.services import period_specs
    from takatsu_portal.core.fiscal import today
    from takatsu_portal.core.models import InitiativeArea, Policy

    rng = random.Random(16)
    areas = list(InitiativeArea.objects.for_office(office).order_by("number"))
    policies = list(Policy.objects.for_office(office).order_by("number"))
    groups = named["groups"]
    day = today()
    plans = []
    previous = None
    years = ward.fiscal_years()
    for index, year in enumerate(years):
        current = index == len(years) - 1
        plan = AnnualPlan.objects.create(
            office=office,
            fiscal_year=year,
            title=f"{year}年度 区役所サービス向上計画",
            summary="窓口サービスの向上と情報共有を柱に、区民の声を生かした改善を進める。",
            stage=Stage.IN_PROGRESS if current else Stage.CLOSED,
            previous_plan=previous,
            reporting_frequency="monthly",
            report_due_days=10,
        )
        previous = plan
        plans.append(plan)
        periods = ReportingPeriod.objects.bulk_create(
            ReportingPeriod(plan=plan, **dataclasses.asdict(spec))
            for spec in period_specs(year, "monthly", 10)
        )
        projects = Project.objects.bulk_create(
            Project(
                plan=plan,
                code=f"R{year - 2018}-{n + 1:03d}",
                title=f"{SUBJECTS[n % 10]}{ENDS[n // 10 % 10]}（{n + 1}）",
                description=f"{SUBJECTS[n % 10]}について、担当課とワーキンググループで取り組む。",
                initiative_area=areas[n % len(areas)],
                section=sections[n % len(sections)],
                working_group=groups[n % len(groups)] if n % 5 else None,
                budget_requested=rng.randrange(10, 800) * 10_000,
                budget_approved=rng.randrange(10, 700) * 10_000,
                status=Project.Status.IN_PROGRESS if current else Project.Status.COMPLETED,
            )
            for n in range(PROJECTS)
        )
        Through = Project.policies.through
        Through.objects.bulk_create(
            Through(project_id=p.pk, policy_id=policies[n % len(policies)].pk)
            for n, p in enumerate(projects)
        )
        indicators = Indicator.objects.bulk_create(
            Indicator(
                project=p,
                name="窓口満足度",
                unit="%",
                baseline=Decimal(60),
                target=Decimal(80),
                direction="increase",
            )
            for p in projects
        )
        ended = [p for p in periods if p.ends_on < day]
        reports = []
        for n, project in enumerate(projects):
            for number, period in enumerate(ended, start=1):
                last = number == len(ended)
                state = ProgressReport.State.ACCEPTED
                if current and last:
                    state = [
                        ProgressReport.State.SUBMITTED,
                        ProgressReport.State.CHANGES_REQUESTED,
                        ProgressReport.State.DRAFT,
                        ProgressReport.State.ACCEPTED,
                    ][n % 4]
                submitted = timezone.make_aware(
                    datetime.combine(period.due_on, datetime.min.time())
                )
                reports.append(
                    ProgressReport(
                        project=project,
                        period=period,
                        plan_text=f"{period.label}の計画：{project.title}を進める。",
                        do_text="担当課で打合せを行い、窓口での試行を続けた。",
                        check_text="利用者の声を集め、効果を確かめた。",
                        act_text="案内の文言を見直す。",
                        progress_percent=min(100, number * 100 // 12),
                        status=rng.choice(["on_track", "on_track", "at_risk", "delayed"]),
                        state=state,
                        author=project.working_group.lead
                        if project.working_group
                        else named["subcommittee"],
                        submitted_at=None if state == ProgressReport.State.DRAFT else submitted,
                        reviewed_by=named["subcommittee"]
                        if state == ProgressReport.State.ACCEPTED
                        else None,
                        reviewed_at=submitted if state == ProgressReport.State.ACCEPTED else None,
                    )
                )
        reports = ProgressReport.objects.bulk_create(reports)
        by_project = {i.project_id: i for i in indicators}
        IndicatorValue.objects.bulk_create(
            IndicatorValue(
                report=r,
                indicator=by_project[r.project_id],
                actual=Decimal(60 + r.progress_percent // 5),
            )
            for r in reports
        )
        Proposal.objects.bulk_create(
            Proposal(
                plan=plan,
                title=f"{SUBJECTS[n % 10]}の新しい取組（案{n + 1}）",
                description="区民の声をもとに提案する。",
                initiative_area=areas[n % len(areas)],
                section=sections[n % len(sections)],
                proposer=users[n],
                status=Proposal.Status.SUBMITTED
                if current and n < 5
                else Proposal.Status.ADOPTED
                if n % 2
                else Proposal.Status.REJECTED,
            )
            for n in range(20)
        )
    return plans


def _council(office, plans, named):
    from plans.models import AgendaItem, CouncilMeeting

    meetings = CouncilMeeting.objects.bulk_create(
        CouncilMeeting(
            office=office,
            title=f"{plan.fiscal_year}年度 第{n + 1}回 区企画調整会議",
            held_on=date(plan.fiscal_year, 4, 20) + timedelta(days=91 * n),
            place="区役所 5階 第1会議室",
        )
        for plan in plans
        for n in range(4)
    )
    decided = AgendaItem.Decision.APPROVED
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            order=order,
            title=f"議題{order}：{SUBJECTS[order]}の報告",
            subject=AgendaItem.Subject.PLAN,
            plan=plans[n // 4],
            decision=decided,
            decided_by=named["subcommittee"],
        )
        for n, meeting in enumerate(meetings)
        for order in range(1, 6)
    )
    named["meeting"] = meetings[-3]


def _voices(office, sections, users, named, ward):
    from django.utils import timezone

    from feedback.models import ResidentVoice
    from takatsu_portal.core.fiscal import FiscalYear, today

    day = today()
    start = FiscalYear(ward.fiscal_years()[0]).start
    span = (day - start).days
    rng = random.Random(1500)
    channels = [c for c in ResidentVoice.Channel if c != ResidentVoice.Channel.SURVEY]
    categories = list(ResidentVoice.Category)
    rows = []
    voices = _voice_count(ward)
    for n in range(voices):
        received = start + timedelta(days=span * n // voices)
        age = (day - received).days
        section = sections[n % len(sections)]
        if age > 60:
            state = ResidentVoice.State.CLOSED
        else:
            state = [
                ResidentVoice.State.RECEIVED,
                ResidentVoice.State.ASSIGNED,
                ResidentVoice.State.ANSWERED,
            ][n % 3]
        assignee = None if state == ResidentVoice.State.RECEIVED else users[n % len(users)]
        answered = state in (ResidentVoice.State.ANSWERED, ResidentVoice.State.CLOSED)
        at = timezone.make_aware(
            datetime.combine(received + timedelta(days=7), datetime.min.time())
        )
        rows.append(
            ResidentVoice(
                office=office,
                channel=rng.choice(channels),
                category=rng.choice(categories),
                section=section,
                received_on=received,
                due_on=received + timedelta(days=14),
                summary=f"{VOICE_SUMMARIES[n % len(VOICE_SUMMARIES)]}（{n + 1}）",
                body="窓口で手続きをしたときのことです。" * 3,
                assignee=assignee,
                state=state,
                answer_text="ご意見ありがとうございました。改善に努めます。" if answered else "",
                answered_at=at if answered else None,
                answered_by=assignee if answered else None,
                closed_at=at if state == ResidentVoice.State.CLOSED else None,
                recorded_by=users[(n * 7) % len(users)],
            )
        )
    ResidentVoice.objects.bulk_create(rows)


def _surveys(office, sections, named, ward):
    from django.db import connection

    from feedback.models import Choice, Question, ServiceWindow, Survey

    windows = ServiceWindow.objects.bulk_create(
        ServiceWindow(section=sections[n], name=name, location=f"{n + 1}階", sort_order=n)
        for n, name in enumerate(WINDOWS)
    )
    surveys = []
    per_survey = RESPONSES // 3
    for year in ward.fiscal_years():
        survey = Survey.objects.create(
            office=office,
            title=f"{year}年度 窓口満足度アンケート",
            introduction="窓口のご利用についてお聞かせください。",
            opens_on=date(year, 4, 1),
            closes_on=date(year + 1, 3, 31),
            created_by=named["subcommittee"],
        )
        survey.windows.set(windows)
        kinds = [
            ("satisfaction", "本日の窓口の対応に満足しましたか。", []),
            ("satisfaction", "待ち時間に満足しましたか。", []),
            ("single", "本日のご用件", ["転入・転出", "証明書", "保険・年金", "その他"]),
            ("multiple", "分かりにくかった点", ["案内表示", "書類の書き方", "呼出し", "待ち時間"]),
            ("number", "待ち時間（分）", []),
            ("text", "ご意見・ご要望", []),
        ]
        questions = []
        for order, (kind, text, choices) in enumerate(kinds, start=1):
            question = Question.objects.create(survey=survey, order=order, kind=kind, text=text)
            question.choice_ids = [
                c.pk
                for c in Choice.objects.bulk_create(
                    Choice(question=question, order=m, text=t) for m, t in enumerate(choices, 1)
                )
            ]
            questions.append(question)
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO feedback_response
                    (survey_id, submitted_on, channel, language, window_id, submission_key)
                SELECT %s, %s::date + (g %% 360),
                       (ARRAY['web', 'web', 'paper', 'import'])[1 + g %% 4],
                       CASE WHEN g %% 10 = 0 THEN 'en' ELSE 'ja' END,
                       (%s::bigint[])[1 + g %% %s],
                       %s::text || '-' || %s || '-' || g
                FROM generate_series(1, %s) AS g
                WHERE %s::date + (g %% 360) <= current_date
                """,
                [
                    survey.pk,
                    date(year, 4, 1),
                    [w.pk for w in windows],
                    len(windows),
                    ward.prefix,
                    year,
                    per_survey,
                    date(year, 4, 1),
                ],
            )
            rows = "FROM feedback_response r WHERE r.survey_id = %s"
            sat1, sat2, single, multiple, number, text = questions
            inserts = [
                ("SELECT r.id, %s, NULL, (ARRAY[1,2,3,3,4,4,4,5,5,5])[1 + r.id %% 10]", [sat1.pk]),
                ("SELECT r.id, %s, NULL, 1 + r.id %% 5", [sat2.pk]),
                (
                    "SELECT r.id, %s, (%s::bigint[])[1 + r.id %% 4], NULL",
                    [single.pk, single.choice_ids],
                ),
                (
                    "SELECT r.id, %s, (%s::bigint[])[1 + r.id %% 4], NULL",
                    [multiple.pk, multiple.choice_ids],
                ),
                ("SELECT r.id, %s, NULL, r.id %% 60", [number.pk]),
            ]
            for select, params in inserts:
                cursor.execute(
                    "INSERT INTO feedback_answer"
                    " (response_id, question_id, choice_id, number, text)"
                    f" {select}, '' {rows}",
                    [*params, survey.pk],
                )
            cursor.execute(
                "INSERT INTO feedback_answer (response_id, question_id, choice_id, number, text)"
                " SELECT r.id, %s, NULL, NULL, '案内が分かりやすかった。番号 ' || r.id"
                f" {rows} AND r.id %% 5 = 0",
                [text.pk, survey.pk],
            )
        surveys.append(survey)
    named["survey"] = surveys[-1]


def _notifications_and_jobs(office, plans, named):
    from django.utils import timezone

    from plans.plan.report import KEY as PLAN_KEY
    from plans.progress.report import KEY as PROGRESS_KEY
    from takatsu_portal.core.models import Notification
    from takatsu_portal.reports.models import ReportJob

    now = timezone.now()
    for user in (named["subcommittee"], named["manager"]):
        notifications = Notification.objects.bulk_create(
            Notification(
                recipient=user,
                message=f"進捗報告「R-{n:03d} {n % 12 + 1}月」が提出されました。",
                url="/plans/progress/",
                read_at=now if n % 4 else None,
            )
            for n in range(300)
        )
        for n, notification in enumerate(notifications):
            notification.created_at = now - timedelta(hours=n * 5)
        Notification.objects.bulk_update(notifications, ["created_at"])
    jobs = []
    for n in range(60):
        plan = plans[n % len(plans)]
        kind = PLAN_KEY if n % 2 else PROGRESS_KEY
        jobs.append(
            ReportJob(
                kind=kind,
                params={"plan": plan.pk},
                requested_by=named["subcommittee"],
                office=office,
                state=ReportJob.State.FAILED
                if n % 10 == 0
                else ReportJob.State.CANCELLED
                if n % 10 == 1
                else ReportJob.State.FAILED,
                error="ベンチ用の記録です。" if n % 10 != 1 else "",
                finished_at=now - timedelta(days=n),
            )
        )
    ReportJob.objects.bulk_create(jobs)


# ---------------------------------------------------------------------------------------------
# The pages


def pages(ward=ONE):
    """(label, path, username) of each page of the table, the bare view first for each user."""
    from feedback.models import Survey
    from plans.models import AnnualPlan, CouncilMeeting, Project
    from takatsu_portal.core.fiscal import FiscalYear

    office = existing_office(ward)
    plan = AnnualPlan.objects.get(office=office, fiscal_year=FiscalYear.current().year)
    project = Project.objects.filter(plan=plan, working_group__isnull=False).order_by("code")[1]
    meeting = CouncilMeeting.objects.filter(office=office).order_by("-held_on")[2]
    survey = Survey.objects.filter(office=office).order_by("-opens_on").first()
    return [
        ("bare", "/__bench__/bare/", ward.subcommittee),
        ("home", "/", ward.subcommittee),
        ("board", "/plans/progress/", ward.subcommittee),
        ("projects", "/plans/projects/", ward.subcommittee),
        ("project", f"/plans/projects/{project.pk}/", ward.subcommittee),
        ("meeting", f"/plans/council/{meeting.pk}/", ward.subcommittee),
        ("analysis", f"/feedback/surveys/{survey.pk}/analysis/", ward.subcommittee),
        ("reports", "/reports/", ward.subcommittee),
        ("notices", "/notifications/", ward.subcommittee),
        ("bare-mgr", "/__bench__/bare/", ward.manager),
        ("voices", "/feedback/voices/", ward.manager),
    ]


def count_queries(page_list):
    """The SQL queries of one request of each page, in-process (the second request, so that
    the session's refresh and warm caches do not count), and its size in bytes."""
    from axes.utils import reset
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from takatsu_portal.accounts.models import User

    clients = {}
    counted = []
    for label, path, username in page_list:
        client = clients.get(username)
        if client is None:
            reset(username=username)
            client = clients[username] = Client(SERVER_NAME="127.0.0.1")
            client.force_login(
                User.objects.get(username=username),
                backend="takatsu_portal.accounts.backends.PortalModelBackend",
            )
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            fail(f"{path} as {username} answered {response.status_code} in-process, not 200")
        counted.append(
            {
                "label": label,
                "path": path,
                "username": username,
                "queries": len(captured.captured_queries),
                "bytes": len(response.content),
            }
        )
    return counted


def main():
    django.setup()
    office = existing_office()
    if office is not None and os.environ.get("BENCH_PAGES_REBUILD") == "1":
        remove(office)
        office = None
    if office is None:
        build()
    else:
        log(f"reusing {OFFICE_NAME} (BENCH_PAGES_REBUILD=1 builds it again)")
    counted = count_queries(pages())
    if len(sys.argv) > 1:
        with open(sys.argv[1], "w", encoding="utf-8") as out:
            json.dump(counted, out, ensure_ascii=False)
    for page in counted:
        log(
            f"  {page['label']:<9} {page['path']:<32} {page['queries']:>3} queries  "
            f"{page['bytes'] // 1024:>4} KB  ({page['username']})"
        )


if __name__ == "__main__":
    main()
