"""Bench of training at scale (part of `make bench`, not of the tests).

Builds (once; kept for the next run) two offices of the bench database: 「ベンチ研修区（小）」
with 60 staff and 「ベンチ研修区（大）」 with BENCH_TRAINING_STAFF staff (default 2,000) in 20
sections, each with two required-training rules, 20 courses, 40 upcoming sessions and this
year's completions for seven in ten people (bulk_create, no row through the services). Then:

1. queries: the compliance page and the session list, in-process, as the organiser of each
   office: the number of SQL queries must be the same at 60 and at 2,000 staff (else: fail);
2. latency through gunicorn (--base): the compliance page and the session list at 2,000 staff
   against the bare view, median and p99, and the ratio of medians (goal ≤ 2×, PASS/MISS);
3. capacity: BENCH_TRAINING_APPLICANTS (default 200) people apply to one session of 50 seats at
   the same moment, each with their own session and CSRF token, one thread each, through
   gunicorn: every answer must be a redirect (no error), exactly 50 confirmed and the rest
   waiting (else: fail); prints the time to process them all.

    DJANGO_SETTINGS_MODULE=tests.bench.settings DATABASE_URL=…/takatsu_bench \\
        python -m tests.bench.training --base http://127.0.0.1:8765
"""

import argparse
import http.client
import os
import secrets
import sys
import threading
import time
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import django

from tests.bench.common import fail, log, whole_number

STAFF = whole_number("BENCH_TRAINING_STAFF", 2000)
APPLICANTS = whole_number("BENCH_TRAINING_APPLICANTS", 200)
REQUESTS = whole_number("BENCH_TRAINING_REQUESTS", 200)
SEATS = 50
GOAL_RATIO = 2.0
SMALL = ("bench-training-small", "ベンチ研修区（小）", 60)
LARGE = ("bench-training-large", "ベンチ研修区（大）", STAFF)


def build_office(code, name, staff):
    """The office, its staff, rules, courses, sessions and completions (once)."""
    from django.db import transaction
    from django.utils import timezone

    from takatsu_portal.accounts.models import Department, Office, Section, User
    from takatsu_portal.accounts.roles import Role, assign_role
    from takatsu_portal.core.fiscal import FiscalYear
    from takatsu_portal.core.guideline import office_guideline_copy
    from training.models import Course, Enrolment, Requirement, Session

    office = Office.objects.filter(code=code).first()
    if office is not None:
        return office
    log(f"building {name}: {staff} staff")
    with transaction.atomic():
        office = Office.objects.create(code=code, name=name, sort_order=90)
        office_guideline_copy(office=office)
        department = Department.objects.create(office=office, name="ベンチ部")
        sections = [
            Section.objects.create(department=department, name=f"第{i + 1}課", sort_order=i)
            for i in range(20)
        ]
        users = User.objects.bulk_create(
            [
                User(
                    username=f"{code}-{i}",
                    full_name=f"研修 太郎{i}",
                    full_name_kana="けんしゅう たろう",
                    staff_number=f"{code[-5:]}{i:06d}",
                    section=sections[i % len(sections)],
                    password="!",
                )
                for i in range(staff)
            ]
        )
        staff_group = Role.STAFF.group_name
        from django.contrib.auth.models import Group

        group = Group.objects.get(name=staff_group)
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=u.pk, group_id=group.pk) for u in users]
        )
        trainer = User.objects.create(
            username=f"{code}-trainer", full_name="研修 担当", section=sections[0]
        )
        trainer.set_password(os.environ.get("BENCH_PASSWORD", "takatsu-demo"))
        trainer.save()
        assign_role(trainer, Role.TRAINER)
        courses = [
            Course.objects.create(
                office=office,
                title=f"ベンチ研修{i + 1}",
                category="service" if i % 2 else "security",
                objectives="ベンチ",
                hours=Decimal("2.0"),
                organiser=trainer,
            )
            for i in range(20)
        ]
        Requirement.objects.create(
            office=office, title="接遇（全職員）", audience="all", category="service"
        )
        Requirement.objects.create(
            office=office, title="セキュリティ（全職員）", audience="all", course=courses[0]
        )
        now = timezone.now()
        sessions = []
        for i in range(40):
            start = now + timedelta(days=7 + i)
            sessions.append(
                Session(
                    course=courses[i % 20],
                    starts_at=start,
                    ends_at=start + timedelta(hours=2),
                    place="ベンチ会議室",
                    capacity=SEATS,
                    instructor="ベンチ講師",
                    apply_by=start - timedelta(days=1),
                    cancel_by=start - timedelta(days=2),
                )
            )
        Session.objects.bulk_create(sessions)
        held_start = max(
            now - timedelta(days=1),
            timezone.make_aware(
                timezone.datetime.combine(FiscalYear.current().start, timezone.datetime.min.time())
            )
            + timedelta(hours=10),
        )
        held = Session.objects.create(
            course=courses[1],
            starts_at=held_start,
            ends_at=held_start + timedelta(hours=2),
            place="ベンチ会議室",
            capacity=staff,
            instructor="ベンチ講師",
            apply_by=held_start - timedelta(days=3),
            cancel_by=held_start - timedelta(days=2),
        )
        Enrolment.objects.bulk_create(
            [
                Enrolment(
                    session=held,
                    user=u,
                    state="confirmed",
                    attendance="present",
                    completed_on=timezone.localtime(held_start).date(),
                )
                for i, u in enumerate(users)
                if i % 10 < 7
            ]
        )
    return office


def _client_for(username):
    from django.test import Client

    from takatsu_portal.accounts.models import User

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(
        User.objects.get(username=username),
        backend="takatsu_portal.accounts.backends.PortalModelBackend",
    )
    return client


def pages():
    return [
        ("bare", "/__bench__/bare/"),
        ("compliance", "/training/compliance/"),
        ("sessions", "/training/"),
    ]


def count_queries():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for code, _, staff in (SMALL, LARGE):
        client = _client_for(f"{code}-trainer")
        for label, path in pages()[1:]:
            client.get(path)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            if response.status_code != 200:
                fail(f"{path} answered {response.status_code} in-process")
            counts[(label, staff)] = len(captured.captured_queries)
    for label, _ in pages()[1:]:
        small, large = counts[(label, SMALL[2])], counts[(label, LARGE[2])]
        print(f"  {label:<11} queries at {SMALL[2]} staff: {small}, at {LARGE[2]} staff: {large}")
        if small != large:
            fail(
                f"the {label} page runs {large} queries at {LARGE[2]} staff, {small} at {SMALL[2]}"
            )


def _cookie_for(username):
    """A session cookie and a CSRF token for `username`, made in-process (logging 200 people in
    through the form would bench the password hasher)."""
    client = _client_for(username)
    token = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret
    return f"sessionid={client.cookies['sessionid'].value}; csrftoken={token}", token


def latency(host, port):
    from tests.bench.load import run, summary

    cookie, _ = _cookie_for(f"{LARGE[0]}-trainer")
    results = {}
    for label, path in pages():
        run(host, port, path, cookie, max(1, REQUESTS // 10), 4)
        latencies, seconds, _ = run(host, port, path, cookie, REQUESTS, 4)
        results[label] = summary(latencies, seconds)
        figures = results[label]
        print(
            f"  {label:<11} {path:<24} {figures['rps']:>7.0f} req/s  median "
            f"{figures['median']:7.2f} ms  p99 {figures['p99']:7.2f} ms"
        )
    bare = results["bare"]["median"]
    for label in ("compliance", "sessions"):
        ratio = results[label]["median"] / bare
        verdict = "PASS" if ratio <= GOAL_RATIO else "MISS"
        print(
            f"  {label}/bare median latency at {STAFF} staff: {ratio:.2f}× "
            f"(goal ≤ {GOAL_RATIO}×) {verdict}"
        )
    # The same pages at 60 staff, to show how they grow with the office.
    cookie, _ = _cookie_for(f"{SMALL[0]}-trainer")
    for label, path in pages()[1:]:
        run(host, port, path, cookie, max(1, REQUESTS // 10), 4)
        latencies, seconds, _ = run(host, port, path, cookie, REQUESTS, 4)
        small = summary(latencies, seconds)["median"]
        print(
            f"  {label:<11} at {SMALL[2]} staff: median {small:7.2f} ms; "
            f"{STAFF} ÷ {SMALL[2]} staff: {results[label]['median'] / small:.2f}×"
        )


def capacity(host, port):
    from takatsu_portal.accounts.models import Office, User
    from training.models import Enrolment, Session

    office = Office.objects.get(code=LARGE[0])
    session = (
        Session.objects.for_office(office)
        .upcoming()
        .filter(capacity=SEATS)
        .exclude(enrolments__isnull=False)
        .order_by("starts_at")
        .first()
    )
    if session is None:
        fail("no empty session left in the bench office: drop the bench database to rebuild")
    session.course.kind = "voluntary"
    session.course.needs_approval = False
    session.course.save()
    people = list(
        User.objects.filter(section__department__office=office, username__regex=r"-\d+$")
        .exclude(training_enrolments__session__course=session.course)
        .order_by("pk")[:APPLICANTS]
    )
    log(f"{len(people)} people apply to one session of {SEATS} seats at the same moment")
    cookies = [_cookie_for(p.username) for p in people]
    path = f"/training/sessions/{session.pk}/apply/"
    start = threading.Barrier(len(cookies) + 1)
    answers = [None] * len(cookies)

    def apply(index, cookie, token):
        conn = http.client.HTTPConnection(host, port, timeout=120)
        try:
            start.wait(60)
            conn.request(
                "POST",
                path,
                body=f"csrfmiddlewaretoken={token}",
                headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
            )
            response = conn.getresponse()
            response.read()
            answers[index] = response.status
        except (OSError, http.client.HTTPException) as exc:
            answers[index] = f"{type(exc).__name__}: {exc}"
        finally:
            conn.close()

    threads = [
        threading.Thread(target=apply, args=(i, cookie, token))
        for i, (cookie, token) in enumerate(cookies)
    ]
    for thread in threads:
        thread.start()
    start.wait(60)
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    took = time.perf_counter() - began
    wrong = [a for a in answers if a != 302]
    states = Enrolment.objects.filter(session=session)
    confirmed = states.filter(state="confirmed").count()
    waiting = states.filter(state="waiting").count()
    print(
        f"  {len(answers)} applications in {took:.2f} s ({len(answers) / took:.0f}/s): "
        f"{confirmed} confirmed, {waiting} waiting, {len(wrong)} answers other than a redirect"
    )
    if wrong:
        fail(f"some applications failed: {sorted({str(a) for a in wrong})[:5]}")
    if confirmed != min(SEATS, len(people)) or confirmed + waiting != len(people):
        fail(
            f"{confirmed} confirmed and {waiting} waiting for {SEATS} seats "
            f"and {len(people)} applicants"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True)
    args = parser.parse_args()
    base = urlsplit(args.base)
    if base.scheme != "http" or base.hostname not in ("127.0.0.1", "localhost", "::1"):
        parser.error("--base must be http:// on the loopback interface")
    django.setup()
    for code, name, staff in (SMALL, LARGE):
        build_office(code, name, staff)
    log("SQL queries per page at two sizes (in-process)")
    count_queries()
    log(f"latency through gunicorn at {STAFF} staff ({REQUESTS} requests per page, 4 clients)")
    latency(base.hostname, base.port or 80)
    log("concurrent applications through gunicorn")
    capacity(base.hostname, base.port or 80)
    return 0


if __name__ == "__main__":
    sys.exit(main())
