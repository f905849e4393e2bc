"""The rest of the city in `manage.py seed_demo`: a second, smaller ward and the city planning
bureau's account (`demo/data/city.py` holds the names).

`seed_city(sections)` builds 宮前区役所 beside 高津区役所:

- its three departments, six sections and twenty staff (three demo accounts `miyamae-…`);
- this fiscal year's plan at 事業実施中, approved by its council in mid-May (after the
  guideline's end-of-April target), with eight projects of every status, quarterly reporting
  periods and the progress reports of the quarters that have ended (on time, late, missing);
- three service windows and its window survey with a few hundred answers (a smaller ward: a
  wider confidence interval on the comparison page);
- sixteen resident voices, most answered, some after their due date, three still open;
- its own window-service course (held in September), taken by most of its staff, and the rule
  that every member of staff takes it each fiscal year (受講義務);

and the `city` account of 総合企画局, which has no section and reads every ward.

Rows are written as every demo seeder writes them (`demo/writer.py`): found by natural keys,
created with the history they would have had, saved again only when a demo field differs.
"""

import random
from datetime import timedelta
from decimal import Decimal

from feedback.models import Question, ResidentVoice, Response, ServiceWindow, Survey
from feedback.voices.services import DEFAULT_DUE_DAYS
from plans.models import (
    STAGES,
    AnnualPlan,
    PlanDecision,
    ProgressReport,
    Project,
    ReportingFrequency,
    ReportingPeriod,
    Stage,
)
from plans.plan.services import default_plan_title
from plans.progress import services as progress_services
from takatsu_portal.accounts.models import Section
from takatsu_portal.core.fiscal import FiscalYear, today
from takatsu_portal.core.guideline import office_guideline_copy
from takatsu_portal.core.models import InitiativeArea, Policy
from training.models import Category, Course, Enrolment, Requirement, Session

from . import accounts
from .data import accounts as takatsu_data
from .data import city as data
from .feedback import write_responses
from .plans import code_prefix
from .writer import Step, Tally, at, on, put, upsert, workday


def seed_city(sections):
    """The second ward and the city account (see the module docstring); returns tallies.
    `sections` (Takatsu's) is not used: the ward has its own."""
    tallies = {}

    def tally(label):
        return tallies.setdefault(label, Tally(f"{data.OFFICE_NAME}の{label}"))

    office, by_name = accounts.organisation(data, tally)
    _seed_guideline(office, tally("基本方針・具体的な取組"))
    people = _seed_people(by_name, tally("職員"))
    fy = FiscalYear.current()
    plan = _seed_plan(office, fy, people, tally)
    _seed_progress(plan, people, tally)
    windows = _seed_windows(by_name, fy, tally("窓口"))
    _seed_survey(office, fy, windows, people, tally)
    _seed_voices(office, by_name, windows, people, tally("区民の声"))
    _seed_training(office, people, fy, tally)
    return list(tallies.values())


def _seed_guideline(office, tally):
    """The ward's own copy of the city's guideline, with the titles it rewrote in its own
    words (data.GUIDELINE_TITLES), each edit saved once with history. Counted as rows: on the
    first run every row is new (its edit included), on a later one a title put back is an
    update and the rest are unchanged."""
    made = sum(office_guideline_copy(office=office))
    edits = [
        (Policy, number, title) for number, title in data.GUIDELINE_TITLES["policies"].items()
    ] + [
        (InitiativeArea, number, title) for number, title in data.GUIDELINE_TITLES["areas"].items()
    ]
    edited = Tally("")
    for model, number, title in edits:
        upsert(
            model,
            lookup={"office": office, "number": number},
            values={"title": title},
            tally=edited,
        )
    rows = Policy.objects.filter(office=office).count()
    rows += InitiativeArea.objects.filter(office=office).count()
    if made:
        tally.created += rows
    else:
        tally.updated += edited.updated
        tally.unchanged += rows - edited.updated


def _seed_people(by_name, tally):
    """The ward's staff and the city account, with their roles (only added, as for Takatsu);
    returns {username: User}. Their staff numbers are none of Takatsu's."""
    everyone = data.MIYAMAE_PEOPLE + [data.CITY_ACCOUNT]
    numbers = accounts.staff_numbers(
        len(everyone),
        seed=data.STAFF_NUMBER_SEED,
        taken=accounts.staff_numbers(len(takatsu_data.PEOPLE)),
    )
    return accounts.seed_people(everyone, numbers, by_name, tally)


# ---------------------------------------------------------------------------------------------
# The plan


def _seed_plan(office, fy, people, tally):
    secretary = people[data.SECRETARY]
    created = at(on(fy, 4, 3), 9)
    steps = [Step(created, secretary, "計画を作成", {"stage": Stage.DRAFT})]
    for stage, (month, day), username, _comment in data.PLAN_MOVES:
        before = STAGES[STAGES.index(stage) - 1]
        steps.append(
            Step(
                at(on(fy, month, day), 16),
                people[username],
                f"{before.label} → {Stage(stage).label}",
                {"stage": stage},
            )
        )
    plan = put(
        AnnualPlan,
        lookup={"office": office, "fiscal_year": fy.year},
        values={
            "title": default_plan_title(office, fy.year),
            "summary": data.PLAN_SUMMARY,
            "stage": data.PLAN_MOVES[-1][0],
            "reporting_frequency": ReportingFrequency.QUARTERLY,
            "report_due_days": 10,
        },
        stamps={"created_at": created},
        steps=steps,
        tally=tally("計画"),
    )
    for number, (stage, (month, day), username, comment) in enumerate(data.PLAN_MOVES, start=1):
        when = at(on(fy, month, day), 16)
        put(
            PlanDecision,
            lookup={
                "plan": plan,
                "from_stage": STAGES[STAGES.index(stage) - 1],
                "to_stage": stage,
                "kind": PlanDecision.Kind.ADVANCE,
            },
            values={
                "comment": comment,
                "decided_by": people[username],
                "plan_version": 1 + number,
            },
            stamps={"decided_at": when},
            steps=[Step(when, people[username])],
            tally=tally("計画の決定"),
        )
    policies = {row.number: row for row in Policy.objects.for_office(office)}
    areas = {row.number: row for row in InitiativeArea.objects.for_office(office)}
    sections = {s.name: s for s in Section.objects.filter(department__office=office)}
    prefix = code_prefix(fy)
    for seed in data.PROJECTS:
        registered = at(on(fy, 5, 28), 14)
        steps = [
            Step(registered, secretary, "事業を登録", {"status": Project.Status.PLANNED}),
        ]
        if seed.status != Project.Status.PLANNED:
            steps.append(Step(at(on(fy, 7, 10), 9), secretary, "予算の配分を反映し実施を開始"))
        put(
            Project,
            lookup={"plan": plan, "code": f"{prefix}{seed.number:02d}"},
            values={
                "title": seed.title,
                "description": seed.description,
                "initiative_area": areas[seed.area],
                "section": sections[seed.section],
                "budget_requested": seed.requested,
                "budget_approved": seed.approved,
                "status": seed.status,
            },
            m2m={"policies": [policies[number] for number in seed.policies]},
            steps=steps,
            tally=tally("事業"),
        )
    return plan


def _seed_progress(plan, people, tally):
    """The quarterly periods, and a report for each period that has ended: submitted before
    its due date, some days after it, or not at all, as each project's seed says."""
    secretary = people[data.SECRETARY]
    periods = [
        put(
            ReportingPeriod,
            lookup={"plan": plan, "number": spec.number},
            values={
                "label": spec.label,
                "starts_on": spec.starts_on,
                "ends_on": spec.ends_on,
                "due_on": spec.due_on,
            },
            steps=[Step(at(on(plan.fy, 7, 10), 17), secretary)],
            tally=tally("報告期間"),
        )
        for spec in progress_services.period_specs(
            plan.fiscal_year, ReportingFrequency.QUARTERLY, 10
        )
    ]
    day = today()
    ended = [period for period in periods if period.due_on < day]
    projects = {p.code[-2:]: p for p in plan.projects.all()}
    limit = at(day - timedelta(days=1), 18)
    for seed in data.PROJECTS:
        project = projects[f"{seed.number:02d}"]
        author = people[seed.lead]
        for index, (period, timing) in enumerate(zip(ended, seed.reports, strict=False)):
            if timing == "missing":
                continue
            offset = -2 if timing == "on_time" else 6 + index
            submitted = min(at(workday(period.due_on + timedelta(days=offset)), 16), limit)
            reviewed = min(submitted + timedelta(days=3), limit)
            percent = min(100, 25 * (index + 1))
            put(
                ProgressReport,
                lookup={"project": project, "period": period},
                values={
                    "plan_text": f"{period.label}：{seed.title}の計画どおりに進める。",
                    "do_text": f"{seed.description}",
                    "check_text": "予定した作業はおおむね進んだ。",
                    "act_text": "次の期間も同じ体制で進める。",
                    "progress_percent": percent,
                    "status": ProgressReport.Status.ON_TRACK
                    if timing == "on_time"
                    else ProgressReport.Status.AT_RISK,
                    "state": ProgressReport.State.ACCEPTED,
                    "author": author,
                    "submitted_at": submitted,
                    "reviewed_by": secretary,
                    "reviewed_at": reviewed,
                    "review_comment": "内容を確認した。",
                },
                steps=[
                    Step(
                        submitted - timedelta(hours=2),
                        author,
                        "作成",
                        {
                            "state": ProgressReport.State.DRAFT,
                            "submitted_at": None,
                            "reviewed_by": None,
                            "reviewed_at": None,
                            "review_comment": "",
                        },
                    ),
                    Step(
                        submitted,
                        author,
                        "提出",
                        {
                            "state": ProgressReport.State.SUBMITTED,
                            "reviewed_by": None,
                            "reviewed_at": None,
                            "review_comment": "",
                        },
                    ),
                    Step(reviewed, secretary, "確認済み"),
                ],
                tally=tally("進捗報告"),
            )


# ---------------------------------------------------------------------------------------------
# Windows, the survey, voices


def _seed_windows(by_name, fy, tally):
    first_day = at(fy.previous().start, 9)
    windows = []
    for order, (section, name, location, _mean, _weight) in enumerate(data.WINDOWS, start=1):
        windows.append(
            put(
                ServiceWindow,
                lookup={"section": by_name[section], "name": name},
                values={"location": location, "is_active": True, "sort_order": order * 10},
                steps=[Step(first_day, None, "窓口を登録")],
                tally=tally,
            )
        )
    return windows


def _seed_survey(office, fy, windows, people, tally):
    secretary = people[data.SECRETARY]
    created = at(fy.start - timedelta(days=10), 10)
    survey = put(
        Survey,
        lookup={"office": office, "title": data.SURVEY_TITLE.format(era=fy.era_label)},
        values={
            "introduction": data.SURVEY_INTRODUCTION,
            "opens_on": fy.start,
            "closes_on": fy.end,
            "created_by": secretary,
        },
        m2m={"windows": windows},
        stamps={"created_at": created},
        steps=[Step(created, secretary, "アンケートを作成")],
        tally=tally("アンケート"),
    )
    questions = []
    for order, (kind, text, required) in enumerate(data.SURVEY_QUESTIONS, start=1):
        questions.append(
            put(
                Question,
                lookup={"survey": survey, "order": order},
                values={"kind": kind, "text": text, "required": required},
                steps=[Step(created, secretary)],
                tally=tally("質問"),
            )
        )
    _seed_responses(survey, fy, windows, questions, tally("アンケートの回答"))
    return survey


def _seed_responses(survey, fy, windows, questions, tally):
    """One to three answers a working day up to today, drawn from the survey's own seed, so a
    run on a later day adds the days since and changes none of the earlier ones."""
    rng = random.Random(data.SURVEY_SEED + fy.year)  # noqa: S311  (demo data, not a secret)
    weights = [seed[4] for seed in data.WINDOWS]
    existing = set(survey.responses.values_list("submission_key", flat=True))
    last_day = min(fy.end, today())
    planned = []
    number = 0
    day = fy.start
    while day <= fy.end:
        if day.weekday() < 5:
            for _ in range(rng.randint(1, 3)):
                number += 1
                index = rng.choices(range(len(windows)), weights=weights)[0]
                mean = data.WINDOWS[index][3]
                score = max(1, min(5, round(rng.gauss(mean, 0.9))))
                comment = rng.choice(data.COMMENTS) if rng.random() < 0.1 else ""
                key = f"demo-miyamae-{fy.year}-{number:05d}"
                if day > last_day or key in existing:
                    continue
                window = windows[index]
                answers = [
                    {"question": questions[0], "text": window.name},
                    {"question": questions[1], "number": Decimal(score)},
                ]
                if comment:
                    answers.append({"question": questions[2], "text": comment})
                planned.append(
                    (
                        Response(
                            survey=survey,
                            submitted_on=day,
                            channel=Response.Channel.WEB,
                            window=window,
                            submission_key=key,
                        ),
                        answers,
                    )
                )
        day += timedelta(days=1)
    write_responses(planned, existing, tally)


def _seed_voices(office, by_name, windows, people, tally):
    day = today()
    managers = {}
    members = {}
    for person in data.MIYAMAE_PEOPLE:
        if data.MANAGER in person.roles:
            managers.setdefault(person.section, people[person.username])
        else:
            members.setdefault(person.section, []).append(people[person.username])
    window_of = {w.section_id: w for w in windows}
    recorder = people["miyamae-staff"]
    for index, (category, section_name, summary, ago, answered_after) in enumerate(data.VOICES):
        section = by_name[section_name]
        received = workday(day - timedelta(days=ago))
        manager = managers[section_name]
        assignee = (members.get(section_name) or [manager])[
            index % len(members.get(section_name) or [manager])
        ]
        answered = answered_after is not None and received + timedelta(days=answered_after) < day
        answered_on = received + timedelta(days=answered_after) if answered else None
        final = {
            "channel": ResidentVoice.Channel.COUNTER if index % 3 else ResidentVoice.Channel.PHONE,
            "category": category,
            "section": section,
            "window": window_of.get(section.pk),
            "received_on": received,
            "due_on": received + timedelta(days=DEFAULT_DUE_DAYS),
            "body": f"{summary}。改善してほしい。",
            "recorded_by": recorder,
            "state": "closed" if answered else ("assigned" if ago > 5 else "received"),
            "assignee": assignee if ago > 5 or answered else None,
            "answer_text": data.VOICE_ANSWER if answered else "",
            "answered_at": at(answered_on, 15) if answered else None,
            "answered_by": assignee if answered else None,
            "closed_at": at(answered_on, 17) if answered else None,
        }
        unanswered = {
            "answer_text": "",
            "answered_at": None,
            "answered_by": None,
            "closed_at": None,
        }
        steps = [
            Step(
                at(received, 10),
                recorder,
                "受付",
                {"state": "received", "assignee": None, **unanswered},
            )
        ]
        if final["assignee"] is not None:
            steps.append(
                Step(
                    at(min(received + timedelta(days=1), day), 11),
                    manager,
                    f"担当者を{assignee}に決定",
                    {"state": "assigned", **unanswered},
                )
            )
        if answered:
            steps.append(
                Step(
                    at(answered_on, 15), assignee, "回答", {"state": "answered", "closed_at": None}
                )
            )
            steps.append(Step(at(answered_on, 17), manager, "完了"))
        put(
            ResidentVoice,
            lookup={"office": office, "summary": summary},
            values=final,
            steps=steps,
            tally=tally,
        )


# ---------------------------------------------------------------------------------------------
# Training


def _seed_training(office, people, fy, tally):
    """The ward's window-service course, its September session and the rule that everyone takes
    it each fiscal year; once the session is past, those of MIYAMAE_TRAINED completed it."""
    organiser = people[data.SECRETARY]
    course = upsert(
        Course,
        lookup={"office": office, "title": data.COURSE_TITLE},
        values={
            "category": Category.SERVICE,
            "kind": Course.Kind.NOMINATED,
            "hours": Decimal("2.0"),
            "objectives": data.COURSE_OBJECTIVES,
            "needs_approval": False,
            "evaluation_required": False,
            "organiser": organiser,
            "is_active": True,
        },
        tally=tally("研修"),
    )
    start = at(on(fy, 9, 10), 14)
    session = upsert(
        Session,
        lookup={"course": course, "starts_at": start},
        values={
            "ends_at": start + timedelta(hours=2),
            "place": "宮前区役所 4階 第1会議室",
            "capacity": 30,
            "instructor": "外部講師 中川 由香",
            "apply_by": start - timedelta(days=7),
            "cancel_by": start - timedelta(days=3),
        },
        tally=tally("研修の回"),
    )
    held = start.date() < today()
    for index, person in enumerate(data.MIYAMAE_PEOPLE):
        done = held and person.username not in data.NOT_TRAINED
        upsert(
            Enrolment,
            lookup={"session": session, "user": people[person.username]},
            values={
                "state": Enrolment.State.CONFIRMED,
                "applied_at": start - timedelta(days=20) + timedelta(minutes=5 * index),
                "nominated_by": organiser,
                "attendance": Enrolment.Attendance.PRESENT if done else "",
                "completed_on": start.date() if done else None,
            },
            tally=tally("受講"),
        )
    upsert(
        Requirement,
        lookup={"office": office, "title": data.REQUIREMENT_TITLE},
        values={
            "audience": Requirement.Audience.ALL,
            "course": course,
            "category": "",
            "due": Requirement.Due.FISCAL_YEAR,
            "months": None,
            "role": "",
            "section": None,
            "is_active": True,
        },
        tally=tally("受講義務"),
    )
