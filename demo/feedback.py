"""The feedback app's part of `manage.py seed_demo`: 高津区役所's windows, a year of resident
voices, and two years of the window satisfaction survey.

`seed_feedback(sections)` builds:

- the service windows of the demo sections (住民記録, 証明書, マイナンバーカード, 国民健康保険 ...);
- `seed_surveys()`: 窓口サービス満足度アンケート of last fiscal year and of this one (a copy of
  last year's), eight questions of every kind with やさしい日本語 and English translations, and
  a few thousand anonymous responses spread over the working days (this year's up to today),
  with a satisfaction that differs by window and by season, and some free-text comments;
- about a hundred resident voices received over the last year, in every state and category
  (old ones closed, recent ones waiting, some overdue), some with personal data, some linked
  to projects of the current plan, three promoted from this year's survey comments;
- `demo/imports.py`: a finished import of answers into this year's survey and a failed one.

Everything is drawn from fixed random seeds, so every run draws the same data. Rows are found
by natural keys (a window by section and name, a survey by title, a response by its submission
key, a voice by its summary or its source answer) and written like `plans.demo.put`: a
missing row is created with the history it would have had, an existing one is saved only when
a demo field differs, nothing is deleted, and a second run on the same day writes nothing.
Voices' dates count back from today, so a run on a later day moves them with it.
"""

import random
from datetime import timedelta
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Q

from feedback.models import (
    Answer,
    Choice,
    Question,
    ResidentVoice,
    Response,
    ServiceWindow,
    Survey,
)
from feedback.voices.services import DEFAULT_DUE_DAYS
from plans.models import AnnualPlan
from takatsu_portal.accounts.models import Office, User
from takatsu_portal.accounts.roles import Role
from takatsu_portal.core.fiscal import FiscalYear, today

from .data import accounts as demo_data
from .data.feedback import (
    ANSWERS,
    BAD_COMMENTS,
    CH,
    CHANNELS,
    CONTACT_NAMES,
    EASY,
    GOOD_COMMENTS,
    LANGUAGE_WEIGHTS,
    OFFICE_TOPICS,
    PEAK_MONTHS,
    PEAK_WINDOWS,
    PROJECT_WORDS,
    QUESTIONS,
    REQUESTS,
    SECRETARY,
    SURVEY_INTRODUCTION,
    SURVEY_SEED,
    SURVEY_TRANSLATIONS,
    TOPICS,
    VOICE_SEED,
    WINDOW_PROFILE,
    WINDOW_TRANSLATIONS,
    WINDOWS,
    C,
    K,
    _tr,
)
from .imports import seed_imports
from .writer import Step, Tally, at, put

# ---------------------------------------------------------------------------------------------
# The seed


class _People:
    """The demo staff by section: managers and the others, as User rows."""

    def __init__(self):
        self.users = User.objects.in_bulk(
            [person.username for person in demo_data.PEOPLE], field_name="username"
        )
        self.managers, self.staff = {}, {}
        for person in demo_data.PEOPLE:
            user = self.users[person.username]
            if Role.SECTION_MANAGER in person.roles:
                self.managers.setdefault(person.section, user)
            elif Role.COUNCIL not in person.roles:
                self.staff.setdefault(person.section, []).append(user)

    def manager(self, section):
        return self.managers.get(section) or self.users[SECRETARY]

    def members(self, section):
        return self.staff.get(section) or [self.manager(section)]


def seed_feedback(sections):
    """The feedback app's demo data (see the module docstring); returns tallies."""
    office = Office.objects.get(code=demo_data.OFFICE_CODE)
    people = _People()
    tallies = {}

    def tally(label):
        return tallies.setdefault(label, Tally(label))

    windows = _seed_windows(sections, tally("窓口"))
    surveys = seed_surveys(office=office, windows=windows, people=people, tally=tally)
    _seed_voices(office, sections, windows, people, surveys, tally("区民の声"))
    seed_imports(surveys["current"], tally("回答ファイルの取込み"))
    return list(tallies.values())


def _seed_windows(sections, tally):
    first_day = at(FiscalYear.current().previous().start, 9)
    windows = {}
    for order, (key, seed) in enumerate(WINDOWS.items(), start=1):
        windows[key] = put(
            ServiceWindow,
            lookup={"section": sections[seed.section], "name": seed.name},
            values={
                "location": seed.location,
                "is_active": True,
                "sort_order": order * 10,
                "translations": {
                    "en": {"name": WINDOW_TRANSLATIONS[key][0]},
                    "ja-easy": {"name": WINDOW_TRANSLATIONS[key][1]},
                },
            },
            steps=[Step(first_day, None, "窓口を登録")],
            tally=tally,
        )
    return windows


def seed_surveys(*, office=None, windows=None, people=None, tally=None):
    """Last fiscal year's and this year's window satisfaction surveys with their responses;
    returns {"last": survey, "current": survey}. Callable alone after the windows exist."""
    office = office or Office.objects.get(code=demo_data.OFFICE_CODE)
    people = people or _People()
    if windows is None:
        by_name = {
            w.name: w for w in ServiceWindow.objects.for_office(office).select_related("section")
        }
        windows = {key: by_name[seed.name] for key, seed in WINDOWS.items()}
    if tally is None:
        tallies = {}

        def tally(label):
            return tallies.setdefault(label, Tally(label))

    fy = FiscalYear.current()
    last = _seed_survey(office, fy.previous(), windows, people, tally, copied_from=None)
    current = _seed_survey(office, fy, windows, people, tally, copied_from=last)
    _seed_responses(last, fy.previous(), windows, people, tally("アンケートの回答"), boost=0)
    _seed_responses(current, fy, windows, people, tally("アンケートの回答"), boost=0.2)
    return {"last": last, "current": current}


def _seed_survey(office, fy, windows, people, tally, *, copied_from):
    secretary = people.users[SECRETARY]
    created = at(fy.start - timedelta(days=14), 10)
    survey = put(
        Survey,
        lookup={"office": office, "title": f"窓口サービス満足度アンケート（{fy.era_label}）"},
        values={
            "introduction": SURVEY_INTRODUCTION,
            "opens_on": fy.start,
            "closes_on": fy.end,
            "translations": SURVEY_TRANSLATIONS,
            "created_by": secretary,
            "copied_from": copied_from,
        },
        m2m={"windows": list(windows.values())},
        stamps={"created_at": created},
        steps=[
            Step(
                created,
                secretary,
                f"「{copied_from}」を複製して作成" if copied_from else "アンケートを作成",
            )
        ],
        tally=tally("アンケート"),
    )
    for order, seed in enumerate(QUESTIONS, start=1):
        translations = _tr(seed.easy, seed.english)
        if seed.help_text:
            translations[EASY]["help_text"] = "なまえや でんわばんごうは かかないで ください。"
            translations["en"]["help_text"] = (
                "In minutes."
                if seed.kind == K.NUMBER
                else "Please do not write your name or contact."
            )
            if seed.kind == K.NUMBER:
                translations[EASY]["help_text"] = "なんぷんか かいて ください。"
        question = put(
            Question,
            lookup={"survey": survey, "order": order},
            values={
                "kind": seed.kind,
                "text": seed.text,
                "help_text": seed.help_text,
                "required": seed.required,
                "min_value": seed.min_value,
                "max_value": seed.max_value,
                "translations": translations,
            },
            steps=[Step(created, secretary)],
            tally=tally("質問"),
        )
        for choice_order, choice in enumerate(seed.choices, start=1):
            put(
                Choice,
                lookup={"question": question, "order": choice_order},
                values={"text": choice.text, "translations": _tr(choice.easy, choice.english)},
                steps=[Step(created, secretary)],
                tally=tally("選択肢"),
            )
    return survey


def _survey_days(fy):
    """The days the windows are open: weekdays and the second and fourth Saturday (土曜開庁)."""
    day, days = fy.start, []
    while day <= fy.end:
        saturday_open = day.weekday() == 5 and (day.day - 1) // 7 in (1, 3)
        if day.weekday() < 5 or saturday_open:
            days.append(day)
        day += timedelta(days=1)
    return days


def _weighted(rng, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def _clamp(value, low=1, high=5):
    return max(low, min(high, value))


def _seed_responses(survey, fy, windows, people, tally, *, boost):
    """A year of responses (this year's up to today), drawn from a seed of their own so that a
    run on a later day adds the days since and changes none of the earlier ones."""
    rng = random.Random(SURVEY_SEED + fy.year)  # noqa: S311  (demo data, not a secret)
    questions = {q.order: q for q in survey.questions.all()}
    choices = {
        q.order: list(q.choices.order_by("order")) for q in questions.values() if q.has_choices
    }
    keys = list(windows)
    busy = [WINDOW_PROFILE[key][2] for key in keys]
    last_day = min(fy.end, today())
    existing = set(survey.responses.values_list("submission_key", flat=True))
    planned = []  # (response, [answer fields])
    number = 0
    for day in _survey_days(fy):
        for _ in range(rng.randint(4, 14)):
            number += 1
            key = rng.choices(keys, weights=busy)[0]
            draw = _draw_response(rng, key, day, questions, choices, windows, boost)
            submission_key = f"demo-{fy.year}-{number:05d}"
            if day > last_day or submission_key in existing:
                continue
            channel = Response.Channel.PAPER if draw["paper"] else Response.Channel.WEB
            window = windows[key]
            planned.append(
                (
                    Response(
                        survey=survey,
                        submitted_on=day,
                        channel=channel,
                        language=draw["language"],
                        window=window,
                        submission_key=submission_key,
                        entered_by=(
                            people.members(WINDOWS[key].section)[0]
                            if channel == Response.Channel.PAPER
                            else None
                        ),
                    ),
                    draw["answers"],
                )
            )
    write_responses(planned, existing, tally)


def write_responses(planned, existing, tally):
    """Writes the `planned` responses ([(Response, [Answer fields])], none of them stored yet)
    with their answers in a few bulk inserts; `existing` are the submission keys already
    stored (counted unchanged)."""
    tally.unchanged += len(existing)
    if not planned:
        return
    responses = Response.objects.bulk_create([response for response, _ in planned], batch_size=1000)
    answers = [
        Answer(response=response, **fields)
        for response, (_, rows) in zip(responses, planned, strict=True)
        for fields in rows
    ]
    Answer.objects.bulk_create(answers, batch_size=2000)
    tally.created += len(responses)


def _draw_response(rng, key, day, questions, choices, windows, boost):
    mean, wait, _ = WINDOW_PROFILE[key]
    peak = day.month in PEAK_MONTHS and key in PEAK_WINDOWS
    if peak:
        mean -= 0.5
        wait = int(wait * 1.8)
    minutes = max(0, round(rng.gauss(wait, wait * 0.5)))
    overall = _clamp(round(rng.gauss(mean + boost, 0.9)))
    wait_score = _clamp(5 - minutes // 15 + rng.choice((-1, 0, 0, 1)))
    answers = [
        {"question": questions[1], "text": windows[key].name},
        {"question": questions[2], "number": Decimal(overall)},
    ]
    if rng.random() < 0.9:
        answers.append({"question": questions[3], "number": Decimal(wait_score)})
    if rng.random() < 0.8:
        answers.append({"question": questions[4], "number": Decimal(minutes)})
    if rng.random() < 0.85:
        clarity = 0 if overall >= 4 else (1 if overall == 3 else 2)
        if rng.random() < 0.2:
            clarity = rng.randrange(3)
        answers.append({"question": questions[5], "choice": choices[5][clarity]})
    good = [c for c in choices[6] if rng.random() < (0.15 + 0.08 * overall)]
    answers.extend({"question": questions[6], "choice": c} for c in good)
    if rng.random() < 0.8:
        answers.append({"question": questions[7], "choice": rng.choice(choices[7])})
    if rng.random() < 0.07:
        pool = GOOD_COMMENTS if overall >= 4 else BAD_COMMENTS
        text = rng.choice(pool) + rng.choice(REQUESTS)
        answers.append({"question": questions[8], "text": text})
    return {
        "answers": answers,
        "language": _weighted(rng, LANGUAGE_WEIGHTS),
        "paper": rng.random() < 0.25,
    }


# ---------------------------------------------------------------------------------------------
# Voices


class _VoicePlan(NamedTuple):
    category: str
    section: str
    window: str | None
    summary: str
    body: str
    channel: str | None


def _voice_plans(windows):
    plans = []
    for topic in TOPICS:
        for key in topic.windows:
            name = windows[key].name
            plans.append(
                _VoicePlan(
                    topic.category,
                    WINDOWS[key].section,
                    key,
                    topic.summary.format(w=name),
                    topic.body.format(w=name),
                    topic.channel,
                )
            )
    for category, section, summary, body, channel in OFFICE_TOPICS:
        plans.append(_VoicePlan(category, section, None, summary, body, channel))
    return plans


def _current_projects(office):
    plan = AnnualPlan.objects.filter(office=office, fiscal_year=FiscalYear.current().year).first()
    if plan is None:
        return {}
    projects = list(plan.projects.order_by("code"))
    return {
        category: [p for p in projects if any(word in p.title for word in words)]
        for category, words in PROJECT_WORDS.items()
    }


def _seed_voices(office, sections, windows, people, surveys, tally):
    rng = random.Random(VOICE_SEED)  # noqa: S311  (demo data, not a secret)
    day = today()
    projects = _current_projects(office)
    plans = _voice_plans(windows)
    ages = sorted((rng.randrange(0, 365) for _ in plans), reverse=True)
    rng.shuffle(plans)
    turn = {}
    for index, (plan, age) in enumerate(zip(plans, ages, strict=True)):
        received = day - timedelta(days=age)
        members = people.members(plan.section)
        # The section's staff take turns, so the demo "staff" account gets some of 区民課's.
        turn[plan.section] = turn.get(plan.section, -1) + 1
        assignee = members[turn[plan.section] % len(members)]
        channel = plan.channel or _weighted(rng, CHANNELS)
        linked = projects.get(plan.category) or []
        _put_voice(
            rng,
            office=office,
            section=sections[plan.section],
            window=windows[plan.window] if plan.window else None,
            category=plan.category,
            channel=channel,
            summary=plan.summary,
            body=plan.body,
            received=received,
            today_=day,
            recorder=rng.choice(people.members(plan.section)),
            manager=people.manager(plan.section),
            assignee=assignee,
            projects=linked[:1] if linked and index % 4 == 0 else [],
            contact=index % 5 in (0, 2),
            index=index,
            lookup={"office": office, "summary": plan.summary},
            tally=tally,
        )
    _seed_promoted(rng, office, windows, people, surveys["current"], projects, tally, day)


def _state_for(rng, age):
    """The voice's state by its age in days: old voices are closed, a few are late."""
    roll = rng.random()
    if age > 45:
        return "closed" if roll < 0.85 else ("answered" if roll < 0.95 else "assigned")
    if age > 14:
        if roll < 0.35:
            return "closed"
        if roll < 0.7:
            return "answered"
        return "assigned" if roll < 0.9 else "received"
    if roll < 0.4:
        return "received"
    return "assigned" if roll < 0.8 else "answered"


def _put_voice(
    rng,
    *,
    office,
    section,
    window,
    category,
    channel,
    summary,
    body,
    received,
    today_,
    recorder,
    manager,
    assignee,
    projects,
    contact,
    index,
    lookup,
    tally,
    source_answer=None,
):
    age = (today_ - received).days
    state = _state_for(rng, age)
    due = received + timedelta(days=DEFAULT_DUE_DAYS)
    assigned_on = min(received + timedelta(days=rng.randint(0, 2)), today_)
    answered_on = min(assigned_on + timedelta(days=rng.randint(2, 20)), today_)
    closed_on = min(answered_on + timedelta(days=rng.randint(1, 5)), today_)
    answered_at = at(answered_on, 15, rng.randrange(60))
    closed_at = at(closed_on, 17, rng.randrange(60))
    final = {
        "channel": channel,
        "category": category,
        "section": section,
        "window": window,
        "received_on": received,
        "due_on": due,
        "body": body,
        "recorded_by": recorder,
        "state": state,
        "assignee": assignee if state != "received" else None,
        "answer_text": ANSWERS[category] if state in ("answered", "closed") else "",
        "answered_at": answered_at if state in ("answered", "closed") else None,
        "answered_by": assignee if state in ("answered", "closed") else None,
        "closed_at": closed_at if state == "closed" else None,
        "contact_name": CONTACT_NAMES[index % len(CONTACT_NAMES)] if contact else "",
        "contact_info": (
            (f"044-000-{1000 + index:04d}" if index % 2 else f"resident{index}@example.jp")
            if contact
            else ""
        ),
        "source_answer": source_answer,
    }
    if "summary" not in lookup:
        final["summary"] = summary
    unanswered = {"answer_text": "", "answered_at": None, "answered_by": None, "closed_at": None}
    steps = [
        Step(
            at(received, 10, rng.randrange(60)),
            recorder,
            "受付",
            {"state": "received", "assignee": None, **unanswered},
        )
    ]
    if state != "received":
        steps.append(
            Step(
                at(assigned_on, 11, rng.randrange(60)),
                manager,
                f"担当者を{assignee}に決定",
                {"state": "assigned", **unanswered},
            )
        )
    if state in ("answered", "closed"):
        steps.append(Step(answered_at, assignee, "回答", {"state": "answered", "closed_at": None}))
    if state == "closed":
        steps.append(Step(closed_at, manager, "完了"))
    return put(
        ResidentVoice,
        lookup={**lookup, "office": office},
        values=final,
        m2m={"projects": projects},
        steps=steps,
        tally=tally,
    )


def _seed_promoted(rng, office, windows, people, survey, projects, tally, day):
    """Three of this year's survey comments that the subcommittee recorded as voices."""
    answers = (
        Answer.objects.filter(
            response__survey=survey,
            question__kind=Question.Kind.TEXT,
            response__window__isnull=False,
        )
        .filter(Q(text__contains="待ち時間") | Q(text__contains="分かりにく"))
        .select_related("response__window__section")
        .order_by("response__submission_key", "pk")[:3]
    )
    secretary = people.users[SECRETARY]
    for index, answer in enumerate(answers):
        response = answer.response
        section = response.window.section
        category = C.WAITING if "待ち時間" in answer.text else C.WAYFINDING
        first = answer.text.split("。")[0]
        linked = projects.get(category) or []
        _put_voice(
            rng,
            office=office,
            section=section,
            window=response.window,
            category=category,
            channel=CH.SURVEY,
            summary=f"アンケートより：{first}",
            body=answer.text,
            received=response.submitted_on,
            today_=day,
            recorder=secretary,
            manager=people.manager(section.name),
            assignee=people.members(section.name)[0],
            projects=linked[:1],
            contact=False,
            index=1000 + index,
            lookup={"source_answer": answer},
            tally=tally,
            source_answer=answer,
        )
