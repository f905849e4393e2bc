"""Bench of a survey's analysis at scale (part of `make bench`, not of the tests).

Fills the bench database with one survey of six questions (two satisfaction, one single and
one multiple choice, a number, a free text) and about BENCH_FEEDBACK_ANSWERS answers (default
1,000,000) with PostgreSQL's generate_series — INSERT … SELECT, no row goes through Python —
then times, a few rounds each:

- "analysis": every query of feedback.analysis for the survey (survey_results: counts by
  channel and language, each question's distribution, satisfaction overall and by window)
  plus the first page of its free-text list (count and rows);
- "office": the office analysis filtered on the survey (by window, section, month, fiscal
  year against the last);
- "page": the whole survey analysis page in-process (views, template, SVG charts);
- "baseline": a plain SELECT count(*) over the answers table, measured in the same run,

and prints the medians and their ratio to the baseline. Goal: the analysis under 1 s.
The data is kept: a second run reuses it (BENCH_FEEDBACK_REBUILD=1 builds it again).

    DJANGO_SETTINGS_MODULE=tests.bench.settings DATABASE_URL=…/takatsu_bench \\
        python -m tests.bench.feedback_analysis
"""

import math
import os
import statistics
import time
from datetime import date

from tests.bench.common import fail, log, whole_number

SURVEY_TITLE = "ベンチ用アンケート（100万回答）"
OFFICE_CODE = "bench-feedback"
USERNAME = "bench-feedback"
ANSWERS_PER_RESPONSE = 6.2  # six questions, free text on one response in five
ROUNDS = int(os.environ.get("BENCH_FEEDBACK_ROUNDS", "5"))
GOAL_SECONDS = 1.0


# ---------------------------------------------------------------------------------------------
# Data


def master_data():
    """The bench office, its windows, a subcommittee member and the survey with its questions
    (created once, found again on later runs)."""
    from feedback.models import Choice, Question, ServiceWindow, Survey
    from takatsu_portal.accounts.models import Department, Office, Section, User
    from takatsu_portal.accounts.roles import Role, assign_role

    office, _ = Office.objects.get_or_create(
        code=OFFICE_CODE, defaults={"name": "ベンチ区役所", "sort_order": 99}
    )
    department, _ = Department.objects.get_or_create(office=office, name="区民サービス部")
    sections = [
        Section.objects.get_or_create(department=department, name=name)[0]
        for name in ("区民課", "保険年金課")
    ]
    windows = [
        ServiceWindow.objects.get_or_create(section=section, name=name)[0]
        for section, name in (
            (sections[0], "住民記録窓口"),
            (sections[0], "証明書発行窓口"),
            (sections[1], "国民健康保険窓口"),
        )
    ]
    user = User.objects.filter(username=USERNAME).first()
    if user is None:
        user = User(username=USERNAME, full_name="ベンチ 集計", section=sections[0])
        user.set_unusable_password()
        user.save()
        assign_role(user, Role.SUBCOMMITTEE)
    survey = Survey.objects.filter(office=office, title=SURVEY_TITLE).first()
    if survey is None:
        survey = Survey.objects.create(
            office=office,
            title=SURVEY_TITLE,
            opens_on=date(2025, 4, 1),
            closes_on=date(2027, 3, 31),
            created_by=user,
        )
        survey.windows.set(windows)
        kinds = [
            ("satisfaction", "本日の窓口の対応に満足しましたか。", []),
            ("satisfaction", "待ち時間に満足しましたか。", []),
            ("single", "本日のご用件", ["転入・転出", "証明書", "保険・年金", "その他"]),
            (
                "multiple",
                "分かりにくかった点",
                ["案内表示", "書類の書き方", "呼出し", "待ち時間", "職員の説明"],
            ),
            ("number", "待ち時間（分）", []),
            ("text", "ご意見・ご要望", []),
        ]
        for order, (kind, text, choices) in enumerate(kinds, start=1):
            question = Question.objects.create(
                survey=survey, order=order, kind=kind, text=text, required=False
            )
            for number, choice in enumerate(choices, start=1):
                Choice.objects.create(question=question, order=number, text=choice)
    return office, windows, user, survey


def answer_count(survey):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM feedback_answer a JOIN feedback_question q"
            " ON q.id = a.question_id WHERE q.survey_id = %s",
            [survey.pk],
        )
        return cursor.fetchone()[0]


def fill(survey, windows, target):
    """Responses and answers by INSERT … SELECT over generate_series: the dates spread over
    two fiscal years, three channels, one response in ten in English."""
    from django.db import connection, transaction

    questions = list(survey.questions.order_by("order"))
    sat1, sat2, single, multiple, number, text = (q.pk for q in questions)
    single_choices = list(questions[2].choices.order_by("order").values_list("pk", flat=True))
    multiple_choices = list(questions[3].choices.order_by("order").values_list("pk", flat=True))
    responses = math.ceil(target / ANSWERS_PER_RESPONSE)
    window_ids = [w.pk for w in windows]
    started = time.perf_counter()

    def step(what):
        log(f"  {what} ({time.perf_counter() - started:.1f} s)")

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM feedback_answer WHERE question_id = ANY(%s)", [[q.pk for q in questions]]
        )
        cursor.execute("DELETE FROM feedback_response WHERE survey_id = %s", [survey.pk])
        # The deletions' foreign-key checks run now, while the indexes they need are there.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # Building the answers' secondary indexes once at the end is several times faster than
        # updating them row by row; PostgreSQL's DDL is transactional, so a failed fill leaves
        # the indexes as they were.
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'feedback_answer'"
            " AND indexname NOT IN (SELECT conname FROM pg_constraint"
            " WHERE conrelid = 'feedback_answer'::regclass)"
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        # Likewise the foreign keys: added back, each is checked by one join instead of a
        # trigger per row.
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = 'feedback_answer'::regclass AND contype = 'f'"
        )
        foreign_keys = cursor.fetchall()
        for name, _ in foreign_keys:
            cursor.execute(f'ALTER TABLE feedback_answer DROP CONSTRAINT "{name}"')

        cursor.execute(
            """
            INSERT INTO feedback_response
                (survey_id, submitted_on, channel, language, window_id, submission_key)
            SELECT %s, date '2025-04-01' + (g %% 700),
                   (ARRAY['web', 'web', 'paper', 'import'])[1 + g %% 4],
                   CASE WHEN g %% 10 = 0 THEN 'en' ELSE 'ja' END,
                   CASE WHEN g %% 7 = 0 THEN NULL ELSE (%s::bigint[])[1 + g %% 3] END,
                   'bench-' || g
            FROM generate_series(1, %s) AS g
            """,
            [survey.pk, window_ids, responses],
        )
        rows = "FROM feedback_response r WHERE r.survey_id = %s"
        inserts = [
            # satisfaction: skewed towards satisfied, as real answers are
            (
                "SELECT r.id, %s, NULL,"
                " (ARRAY[1, 2, 3, 3, 4, 4, 4, 5, 5, 5])[1 + floor(random() * 10)::int]",
                [sat1],
            ),
            ("SELECT r.id, %s, NULL, 1 + floor(random() * 5)::int", [sat2]),
            (
                "SELECT r.id, %s, (%s::bigint[])[1 + floor(random() * 4)::int], NULL",
                [single, single_choices],
            ),
            ("SELECT r.id, %s, (%s::bigint[])[1 + r.id %% 5], NULL", [multiple, multiple_choices]),
            (
                "SELECT r.id, %s, (%s::bigint[])[1 + (r.id %% 5 + 1 + (r.id / 5) %% 4) %% 5], NULL",
                [multiple, multiple_choices],
            ),
            ("SELECT r.id, %s, NULL, floor(random() * 90)::int", [number]),
        ]
        for select, params in inserts:
            cursor.execute(
                "INSERT INTO feedback_answer (response_id, question_id, choice_id, number, text) "
                f"{select}, '' {rows}",
                [*params, survey.pk],
            )
        cursor.execute(
            "INSERT INTO feedback_answer (response_id, question_id, choice_id, number, text) "
            "SELECT r.id, %s, NULL, NULL, '窓口の案内が分かりやすかった。番号 ' || r.id "
            f"{rows} AND r.id %% 5 = 0",
            [text, survey.pk],
        )
        step("rows inserted")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check the responses' foreign keys
        for _, definition in indexes:
            cursor.execute(definition)
        step("indexes built")
        for name, definition in foreign_keys:
            cursor.execute(f'ALTER TABLE feedback_answer ADD CONSTRAINT "{name}" {definition}')
        step("foreign keys added and checked")
    # VACUUM sets the visibility map, so that counts can be answered from the indexes alone,
    # as on a database that autovacuum keeps; ANALYZE gives the planner the new sizes.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE feedback_response")
        cursor.execute("VACUUM ANALYZE feedback_answer")
    step("vacuumed and analysed")


# ---------------------------------------------------------------------------------------------
# Timing


def median_seconds(run, rounds=ROUNDS):
    run()  # warm the caches and the connection once
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main():
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from feedback.analysis import results as analysis_results
    from takatsu_portal.core.fiscal import FiscalYear

    target = whole_number("BENCH_FEEDBACK_ANSWERS", 1_000_000)
    office, windows, user, survey = master_data()
    have = answer_count(survey)
    if os.environ.get("BENCH_FEEDBACK_REBUILD") == "1" or have < target * 0.95:
        log(f"filling the survey with about {target:,} answers (generate_series)")
        started = time.perf_counter()
        fill(survey, windows, target)
        have = answer_count(survey)
        log(f"{have:,} answers in {time.perf_counter() - started:.1f} s")
    else:
        log(f"reusing {have:,} answers of the bench survey (BENCH_FEEDBACK_REBUILD=1 rebuilds)")
    responses = survey.responses.count()

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM feedback_answer")
            cursor.fetchone()

    def survey_analysis():
        analysis_results.survey_results(survey)
        page = analysis_results.free_text_answers(survey)
        page.count()
        list(page[:20])

    fiscal_year = FiscalYear(2026)

    def office_analysis():
        answers = analysis_results.satisfaction_answers(office, survey=survey)
        analysis_results.office_satisfaction(answers, fiscal_year)

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user, backend="takatsu_portal.accounts.backends.PortalModelBackend")
    url = reverse("feedback:survey_analysis", args=[survey.pk])

    def page():
        response = client.get(url)
        if response.status_code != 200:
            fail(f"{url} answered {response.status_code}")

    with CaptureQueriesContext(connection) as captured:
        survey_analysis()
    queries = len(captured.captured_queries)

    results = {
        "baseline": median_seconds(baseline),
        "analysis": median_seconds(survey_analysis),
        "office": median_seconds(office_analysis),
        "page": median_seconds(page),
    }
    base = results["baseline"]
    print()
    print(
        f"Survey analysis at {have:,} answers ({responses:,} responses), "
        f"median of {ROUNDS} rounds after one warm-up:"
    )
    print(f"  {'what':<10} {'seconds':>9} {'× baseline':>11}")
    for name, seconds in results.items():
        print(f"  {name:<10} {seconds:>9.3f} {seconds / base:>11.1f}")
    print(
        "  baseline = SELECT count(*) FROM feedback_answer; analysis = every query of "
        f"feedback.analysis for the survey ({queries} queries) and its first free-text page; "
        "office = the office analysis filtered on the survey; page = the survey analysis page."
    )
    verdict = "met" if results["analysis"] < GOAL_SECONDS else "MISSED"
    print(f"  goal: analysis under {GOAL_SECONDS:.0f} s — {verdict}")
    client.logout()


if __name__ == "__main__":
    main()
