"""Bench of the council's PDF reports (part of `make bench`, not of the tests).

Builds, in the bench database, one plan of the bench office (ベンチ区役所, fiscal 2099, so that
it never meets the demo data) with BENCH_REPORTS_PROJECTS projects (default 100): descriptions
of a few sentences, one or two indicators and two milestones each, sections and working groups
spread; monthly reporting (plans.progress.plan_set_reporting) and, in each of the first six
periods, an accepted progress report per project with its P/D/C/A text and indicator values.
All rows go in with bulk_create on the first run and are reused by later ones
(BENCH_REPORTS_REBUILD=1 builds them again).

Then, for the annual plan (kind `annual_plan`) and the PDCA progress report (kind `progress`,
of the sixth period; skipped while that kind is not registered), ROUNDS times (default 3):

- "worker": a fresh child process sets Django up and imports WeasyPrint (as the Celery worker
  does once), opens its database connection, then times rendering.render_job for a new
  ReportJob row: the kind's build, the render and the stored version (build + render + store).
  Its peak memory is the child's own maximum resident set size;
- "baseline": another fresh child, WeasyPrint imported, times WeasyPrint alone on the exact
  HTML the kind built (saved to a file): HTML(filename=…).render(pdf/ua-1, tagged) + write_pdf.

It prints the medians, pages per second, the ratio worker/baseline and the goals (ratio ≤ 1.25,
peak memory ≤ 400 MB, the annual plan under 10 s) with PASS or MISS. A MISS is printed, not
fatal: the bench exits 0. The CPU times of the same runs and the load average are printed too:
on a machine shared with other work the seconds stretch, the CPU times much less. The PDFs go
to a temporary MEDIA_ROOT and the jobs are deleted. BENCH_REPORTS_ROUNDS and
BENCH_REPORTS_PROJECTS change the number of runs and projects.

    DJANGO_SETTINGS_MODULE=tests.bench.settings DATABASE_URL=…/takatsu_bench \\
        python -m tests.bench.reports
"""

import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path

from tests.bench.common import fail, log, whole_number
from tests.bench.feedback_analysis import OFFICE_CODE  # the same bench office (its name is unique)

OFFICE_NAME = "ベンチ区役所"
FISCAL_YEAR = 2099
USERNAME = "bench-reports"
REPORTED_PERIODS = 6
GOAL_RATIO = 1.25
GOAL_MEMORY_MB = 400
GOAL_ANNUAL_PLAN_SECONDS = 10.0

DEPARTMENTS = {
    "総務企画部": ["総務課", "企画課", "危機管理担当"],
    "区民サービス部": ["区民課", "保険年金課", "地域振興課", "生涯学習支援課"],
    "保健福祉センター": ["高齢・障害課", "児童家庭課", "衛生課"],
    "道路公園センター": ["道路公園センター管理課"],
}
WORKING_GROUPS = [
    ("窓口サービス改善ワーキング", "project"),
    ("案内表示・ユニバーサルデザインワーキング", "project"),
    ("電子申請推進ワーキング", "project"),
    ("多言語対応ワーキング", "project"),
    ("職員研修ワーキング", "project"),
    ("待ち時間対策課題検討ワーキング", "issue_study"),
]
SUBJECTS = [
    "証明書交付窓口",
    "転入・転出の手続き",
    "国民健康保険の届出",
    "子育て支援の相談",
    "高齢者の介護相談",
    "庁舎の案内表示",
    "区役所ホームページ",
    "電子申請",
    "外国人住民への案内",
    "地域の防災訓練",
    "公園の利用案内",
    "食品衛生の営業許可",
]
TITLE_ENDS = [
    "の待ち時間の短縮",
    "の案内の分かりやすさの向上",
    "の手続きの簡素化",
    "の多言語化",
    "に関する職員研修の充実",
    "の満足度調査と改善",
    "の情報発信の強化",
    "のオンライン化の試行",
]
SENTENCES = [
    "{subject}について、来庁者アンケートで「分かりにくい」「時間がかかる」という声が続いて"
    "いるため、現状の手順を所管課とワーキングで洗い出す。",
    "繁忙期（3月〜4月）の混雑状況を時間帯別に調べ、職員の配置と受付の順番を見直す。",
    "申請書の記入例と必要書類の一覧を作り直し、記載台とホームページに同じ内容を掲示する。",
    "高齢の方や障害のある方、外国人住民にも分かるよう、やさしい日本語とピクトグラムを用いた"
    "案内を整備する。",
    "他区の先行事例を調べ、効果と費用を比べたうえで、区民課の窓口で3か月間試行する。",
    "試行の結果を来庁者アンケートと窓口の記録で確かめ、効果のあった取組を他の窓口に広げる。",
    "職員向けの説明会を開き、対応の手順と言葉づかいをそろえることで、窓口による差をなくす。",
    "関係課と月1回の打合せを持ち、進み具合と課題を区役所サービス推進部会に報告する。",
    "必要な機器と印刷物の費用を見積もり、次年度の予算要求に反映させる。",
    "区民からの意見・要望を記録し、回答と対応の結果を区のホームページで公表する。",
]
INDICATORS = [
    ("窓口の満足度", "%", 72, 80, "increase"),
    ("平均待ち時間", "分", 25, 15, "decrease"),
    ("電子申請の利用件数", "件", 1200, 2000, "increase"),
    ("記入の誤りによる書き直し", "件", 340, 200, "decrease"),
    ("研修の受講率", "%", 60, 95, "increase"),
    ("ホームページの閲覧数", "件", 15000, 20000, "increase"),
]
MILESTONES = ["現状の調査", "案内・手順の見直し案の作成", "窓口での試行", "効果の検証と報告"]
DO_SENTENCES = [
    "所管課とワーキングのメンバーで打合せを2回持ち、作業の分担と日程を決めた。",
    "来庁者の多い時間帯に窓口の様子を記録し、待ち時間と問合せの内容を集計した。",
    "案内表示の原案を作り、窓口の職員と来庁者5名に見てもらって意見を集めた。",
    "記入例と必要書類の一覧を改訂し、記載台とホームページに掲示した。",
    "職員向けの説明会を開き、31名が参加した。欠席者には資料を回覧した。",
]
CHECK_SENTENCES = [
    "来庁者アンケートでは「分かりやすくなった」という回答が増えている。",
    "繁忙期の待ち時間はまだ目標に届いていないが、平日の午後は短くなった。",
    "試行した窓口と他の窓口で、問合せの件数に差が出ている。",
    "予定より作業が遅れているが、年度内の完了には影響しない見込みである。",
]
ACT_SENTENCES = [
    "次期は試行の範囲を証明書交付窓口にも広げる。",
    "効果の大きかった案内を他の窓口でも使えるよう、手順書にまとめる。",
    "遅れている作業は応援の職員を加えて取り戻す。",
    "アンケートの設問を見直し、効果をより正確に測れるようにする。",
]


# ---------------------------------------------------------------------------------------------
# Data


def master_data():
    """The bench office with its departments and sections, a 推進部会 member who files and asks
    for everything, and the working groups (created once, found again on later runs)."""
    from plans.models import WorkingGroup
    from takatsu_portal.accounts.models import Department, Office, Section, User
    from takatsu_portal.accounts.roles import Role, assign_role
    from takatsu_portal.core.guideline import office_guideline_copy

    office, _ = Office.objects.get_or_create(
        code=OFFICE_CODE, defaults={"name": OFFICE_NAME, "sort_order": 99}
    )
    office_guideline_copy(office=office)
    sections = []
    for order, (department_name, names) in enumerate(DEPARTMENTS.items()):
        department, _ = Department.objects.get_or_create(
            office=office, name=department_name, defaults={"sort_order": order}
        )
        sections += [
            Section.objects.get_or_create(department=department, name=name)[0] for name in names
        ]
    user = User.objects.filter(username=USERNAME).first()
    if user is None:
        user = User(username=USERNAME, full_name="ベンチ 報告書", section=sections[0])
        user.set_unusable_password()
        user.save()
        assign_role(user, Role.SUBCOMMITTEE)
    groups = [
        WorkingGroup.objects.get_or_create(
            office=office,
            name=name,
            defaults={
                "kind": kind,
                "purpose": f"{name}の事業を進める。",
                "lead": user,
                "established_on": date(FISCAL_YEAR, 4, 1),
            },
        )[0]
        for name, kind in WORKING_GROUPS
    ]
    return office, sections, groups, user


def plan_is_complete(plan, projects):
    from plans.models import ProgressReport

    return (
        plan.projects.count() == projects
        and plan.periods.count() == 12
        and ProgressReport.objects.filter(period__plan=plan).count() == projects * REPORTED_PERIODS
    )


def clear(plan):
    """Everything the bench put under `plan` (progress first: periods and projects protect)."""
    from plans.models import ProgressReport, Project

    ProgressReport.objects.filter(period__plan=plan).delete()
    plan.periods.all().delete()
    Project.objects.filter(plan=plan).delete()


def fill(plan, sections, groups, user, projects):
    """Projects, their policies, indicators and milestones, the monthly periods and six
    periods of accepted progress reports with indicator values, in bulk."""
    from django.utils import timezone

    from plans.models import (
        Indicator,
        IndicatorValue,
        Milestone,
        ProgressReport,
        Project,
        ReportingFrequency,
    )
    from plans.progress.services import plan_set_reporting
    from takatsu_portal.core.models import InitiativeArea, Policy

    rng = random.Random(2099)
    areas = list(InitiativeArea.objects.for_office(plan.office).order_by("number"))
    policies = list(Policy.objects.for_office(plan.office).order_by("number"))
    if not areas or not policies:
        fail("no initiative areas or policies: is the bench database migrated?")

    rows = []
    for n in range(projects):
        subject = SUBJECTS[n % len(SUBJECTS)]
        requested = rng.randrange(10, 800) * 10_000
        sentences = rng.sample(SENTENCES[1:], rng.randint(2, 4))
        rows.append(
            Project(
                plan=plan,
                code=f"B-{n + 1:03d}",
                title=f"{subject}{TITLE_ENDS[(n // len(SUBJECTS)) % len(TITLE_ENDS)]}",
                description="".join([SENTENCES[0].format(subject=subject), *sentences]),
                initiative_area=areas[n % len(areas)],
                section=sections[n % len(sections)],
                working_group=groups[n % len(groups)] if n % 4 else None,
                budget_requested=requested,
                budget_approved=requested * 9 // 100_000 * 10_000,
                status=Project.Status.IN_PROGRESS,
            )
        )
    rows = Project.objects.bulk_create(rows)
    Through = Project.policies.through
    Through.objects.bulk_create(
        Through(project_id=project.pk, policy_id=policy.pk)
        for n, project in enumerate(rows)
        for policy in {policies[n % len(policies)], policies[(n * 3 + 1) % len(policies)]}
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(
            project=project,
            name=name,
            unit=unit,
            baseline=Decimal(baseline),
            target=Decimal(target),
            direction=direction,
        )
        for n, project in enumerate(rows)
        for name, unit, baseline, target, direction in INDICATORS[n % 6 : n % 6 + 1 + n % 2]
    )
    Milestone.objects.bulk_create(
        Milestone(project=project, title=title, due_on=date(FISCAL_YEAR, 4 + 3 * (m + 1), 1))
        for n, project in enumerate(rows)
        for m, title in enumerate(MILESTONES[n % 2 : n % 2 + 2])
    )

    periods = plan_set_reporting(
        plan=plan, by=user, frequency=ReportingFrequency.MONTHLY, due_days=10
    )[:REPORTED_PERIODS]
    by_project = {}
    for indicator in indicators:
        by_project.setdefault(indicator.project_id, []).append(indicator)
    statuses = list(ProgressReport.Status)[:3]
    reports = []
    for project in rows:
        for number, period in enumerate(periods, start=1):
            submitted = timezone.make_aware(datetime.combine(period.due_on, clock(17, 0)))
            status = statuses[0] if rng.random() < 0.7 else rng.choice(statuses[1:])
            reports.append(
                ProgressReport(
                    project=project,
                    period=period,
                    plan_text=f"{period.label}は、{project.title}の"
                    f"「{MILESTONES[number % len(MILESTONES)]}」を予定どおり進める。"
                    + rng.choice(SENTENCES[4:]),
                    do_text="".join(rng.sample(DO_SENTENCES, 2))
                    + f"進捗率は{number * 100 // 12}%である。",
                    check_text="".join(rng.sample(CHECK_SENTENCES, 2)),
                    act_text="".join(rng.sample(ACT_SENTENCES, 2)),
                    progress_percent=number * 100 // 12,
                    status=status,
                    state=ProgressReport.State.ACCEPTED,
                    author=user,
                    submitted_at=submitted - timedelta(days=2),
                    reviewed_by=user,
                    reviewed_at=submitted,
                    review_comment="内容を確認しました。",
                )
            )
    reports = ProgressReport.objects.bulk_create(reports)
    values = []
    for report in reports:
        number = report.period.number
        for indicator in by_project[report.project_id]:
            step = (indicator.target - indicator.baseline) / 12
            noise = Decimal(rng.randint(-10, 10)) / 10 * abs(step)
            values.append(
                IndicatorValue(
                    report=report,
                    indicator=indicator,
                    actual=(indicator.baseline + step * number + noise).quantize(Decimal("0.1")),
                )
            )
    IndicatorValue.objects.bulk_create(values)
    return len(rows), len(indicators), len(reports), len(values)


def bench_plan(projects):
    """The bench plan, filled on the first run (or when its size changed), reused after."""
    from django.db import transaction

    from plans.models import AnnualPlan, Stage

    office, sections, groups, user = master_data()
    plan = AnnualPlan.objects.filter(office=office, fiscal_year=FISCAL_YEAR).first()
    rebuild = os.environ.get("BENCH_REPORTS_REBUILD") == "1"
    if plan is not None and not rebuild and plan_is_complete(plan, projects):
        log(f"reusing the bench plan of fiscal {FISCAL_YEAR} (BENCH_REPORTS_REBUILD=1 rebuilds)")
        return plan, user
    started = time.perf_counter()
    log(f"building the bench plan: {projects} projects, {REPORTED_PERIODS} monthly periods")
    with transaction.atomic():
        if plan is None:
            plan = AnnualPlan.objects.create(
                office=office,
                fiscal_year=FISCAL_YEAR,
                title=f"{FISCAL_YEAR}年度 {OFFICE_NAME}サービス向上計画（ベンチ用）",
                summary="来庁者の満足度の向上と待ち時間の短縮を重点とし、窓口・案内・電子申請・"
                "職員研修の各分野で事業を進める。各事業は毎月の進捗報告で進行を管理する。",
                stage=Stage.IN_PROGRESS,
            )
        else:
            clear(plan)
        counts = fill(plan, sections, groups, user, projects)
    log(
        "{} projects, {} indicators, {} progress reports, {} indicator values in {:.1f} s".format(
            *counts, time.perf_counter() - started
        )
    )
    return plan, user


# ---------------------------------------------------------------------------------------------
# Child processes


def child(spec):
    """Run in a fresh interpreter: set Django up, import WeasyPrint, open the database
    connection, then time one render; print the figures as JSON on the last line."""
    import django

    django.setup()
    from django.db import connection

    from takatsu_portal.reports import rendering

    weasyprint = rendering._weasyprint()  # the worker imports it once, before any job
    connection.ensure_connection()  # the worker's task has queried the job already
    ready_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # Django and WeasyPrint
    started, cpu_started = time.perf_counter(), time.process_time()
    if spec["mode"] == "worker":
        version = rendering.render_job(spec["job"])
        pages = version.page_count
    else:
        options = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}
        document = weasyprint.HTML(
            filename=spec["html"],
            base_url=rendering.static_root().as_uri() + "/",
            url_fetcher=rendering.make_fetcher(),
        ).render(**options)
        document.write_pdf(**options)
        pages = len(document.pages)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    figures = {"seconds": seconds, "cpu": cpu, "pages": pages}
    print(json.dumps(figures | {"peak_mb": peak_kb / 1024, "ready_mb": ready_kb / 1024}))


def run_child(spec):
    result = subprocess.run(
        [sys.executable, "-m", "tests.bench.reports", "--child", json.dumps(spec)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        fail(f"the {spec['mode']} child process failed (exit {result.returncode})")
    return json.loads(result.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------------------------
# Timing


def measure(kind, params, user, office, workdir, rounds):
    """`rounds` worker and baseline runs, alternated, each in its own child process."""
    from takatsu_portal.reports.models import ReportJob, ReportVersion

    started = time.perf_counter()
    built = kind.build(params)
    build_seconds = time.perf_counter() - started
    html = workdir / f"{kind.key}.html"
    html.write_text(built.html, encoding="utf-8")

    worker, baseline, jobs = [], [], []
    try:
        for _ in range(rounds):
            job = ReportJob.objects.create(
                kind=kind.key, params=params, requested_by=user, office=office
            )
            jobs.append(job.pk)
            worker.append(run_child({"mode": "worker", "job": job.pk}))
            baseline.append(run_child({"mode": "baseline", "html": str(html)}))
    finally:
        for version in ReportVersion.objects.filter(job_id__in=jobs):
            version.file.delete(save=False)
            version.delete()
        ReportJob.objects.filter(pk__in=jobs).delete()

    def median(runs, key):
        return statistics.median(run[key] for run in runs)

    # The same HTML makes the same pages; counts that differ mean the kind's code, template or
    # stylesheet changed while the bench ran (or the data did): shown, not hidden.
    counts = sorted({run["pages"] for run in worker + baseline})
    return {
        "pages": statistics.median_low(run["pages"] for run in worker),
        "page_counts": counts,
        "build": build_seconds,
        "html_kb": len(built.html.encode()) / 1024,
        "total": median(worker, "seconds"),
        "baseline": median(baseline, "seconds"),
        "peak_mb": max(run["peak_mb"] for run in worker),
        "baseline_peak_mb": max(run["peak_mb"] for run in baseline),
        "ready_mb": max(run["ready_mb"] for run in worker),
        "cpu": median(worker, "cpu"),
        "baseline_cpu": median(baseline, "cpu"),
        "runs": [run["seconds"] for run in worker],
    }


def verdict(ok):
    return "PASS" if ok else "MISS"


def main():
    import django

    load_before = os.getloadavg()[0]
    workdir = Path(tempfile.mkdtemp(prefix="takatsu-bench-reports."))
    # The versions' PDFs go to a throwaway MEDIA_ROOT (the children inherit it), never to the
    # development media folder.
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    try:
        django.setup()
        from plans.models import ReportingPeriod
        from takatsu_portal.reports.kinds import REGISTRY

        rounds = whole_number("BENCH_REPORTS_ROUNDS", 3)
        projects = whole_number("BENCH_REPORTS_PROJECTS", 100)
        plan, user = bench_plan(projects)
        period = ReportingPeriod.objects.get(plan=plan, number=REPORTED_PERIODS)
        benches = [
            ("annual_plan", {"plan": plan.pk}, f"annual plan, {projects} projects"),
            (
                "progress",
                {"period": period.pk},
                f"PDCA progress, {projects} projects × {REPORTED_PERIODS} periods",
            ),
        ]
        results = []
        for key, params, label in benches:
            kind = REGISTRY.get(key)
            if kind is None:
                log(f"kind {key!r} is not registered yet: {label} skipped")
                continue
            log(f"{label}: {rounds} worker and {rounds} baseline renders, one child each")
            results.append((key, label, measure(kind, params, user, plan.office, workdir, rounds)))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    report(results, benches, rounds, load_before)


def report(results, benches, rounds, load_before):
    print()
    print(
        f"Council reports (PDF), median of {rounds} runs, each run in a fresh child process "
        "with WeasyPrint imported before the clock starts:"
    )
    print(
        f"  {'report':<44} {'pages':>5} {'total s':>8} {'pages/s':>8} {'peak MB':>8}"
        f" {'baseline s':>11} {'ratio':>6}"
    )
    for _, label, r in results:
        print(
            f"  {label:<44} {r['pages']:>5} {r['total']:>8.2f} {r['pages'] / r['total']:>8.1f}"
            f" {r['peak_mb']:>8.0f} {r['baseline']:>11.2f} {r['total'] / r['baseline']:>6.2f}"
        )
    print(
        "  total = rendering.render_job for a new ReportJob, as the worker runs it (the kind's "
        "build, WeasyPrint, the stored version); baseline = WeasyPrint alone on the same HTML "
        "(pdf/ua-1, tagged); peak MB = the worker child's maximum resident set (highest run)."
    )
    for _, label, r in results:
        runs = ", ".join(f"{s:.2f}" for s in r["runs"])
        print(
            f"  {label}: runs {runs} s; CPU {r['cpu']:.2f} s against the baseline's "
            f"{r['baseline_cpu']:.2f} s; HTML build alone {r['build']:.2f} s "
            f"({r['html_kb']:.0f} KB); worker {r['ready_mb']:.0f} MB before the job; "
            f"baseline child peak {r['baseline_peak_mb']:.0f} MB"
        )
        if len(r["page_counts"]) > 1:
            print(
                f"  {label}: WARNING: the runs made different page counts {r['page_counts']}"
                " (was the report's code or stylesheet edited during the bench?)"
            )
    load_after = os.getloadavg()[0]
    print(
        f"  load average (1 min) {load_before:.2f} before, {load_after:.2f} after, on "
        f"{os.cpu_count()} CPUs: a busy machine lengthens the seconds, not the CPU times."
    )
    print("  goals (judged on the figures as printed):")
    missed = []
    for key, label, r in results:
        for name, text, ok in goals(key, r):
            print(f"    {label}: {text} {verdict(ok)}")
            if not ok:
                missed.append(f"{label}: {name}")
    measured = {key for key, _, _ in results}
    missing = [label for key, _, label in benches if key not in measured]
    if missing:
        print(f"  not measured (kind not registered yet): {', '.join(missing)}")
    if missed:
        print(f"  MISS: {'; '.join(missed)} (printed only: the bench exits 0).")


def goals(key, r):
    """(goal, text, met) for one report, on the rounded figures the table shows."""
    ratio = round(r["total"] / r["baseline"], 2)
    cpu_ratio = r["cpu"] / r["baseline_cpu"]
    peak = round(r["peak_mb"])
    found = [
        ("ratio", f"ratio {ratio:.2f} ≤ {GOAL_RATIO} (CPU {cpu_ratio:.2f})", ratio <= GOAL_RATIO),
        ("peak memory", f"peak memory {peak} MB ≤ {GOAL_MEMORY_MB} MB", peak <= GOAL_MEMORY_MB),
    ]
    if key == "annual_plan":
        seconds = round(r["total"], 2)
        goal = GOAL_ANNUAL_PLAN_SECONDS
        found.append(("seconds", f"{seconds:.2f} s < {goal:.0f} s", seconds < goal))
    return found


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(json.loads(sys.argv[2]))
    else:
        main()
