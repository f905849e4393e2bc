"""Demo training (研修) for seed_demo: last fiscal year's and this year's courses and sessions
(demo/data/training.py), with applications, attendance, evaluations and completions; one
upcoming session that is full with a waiting list; a 指名研修 with its nominated newcomers; two
applications waiting for the 区民課長's approval; the required-training rules, with gaps in two
sections (保険年金課, 地域支援課) this year.

Deterministic (a seeded generator) and idempotent like the other seeders (demo/writer.py): rows
are found by their natural keys and saved only when a demo field differs. Sessions that fall
before today are "held" (attendance, evaluations); later ones are open for applications, so the
picture follows the calendar. The full session and the approvals are placed two and three weeks
from the Monday of the current week, so a second run in the same week finds them again.
"""

import random
from datetime import timedelta

from django.utils import timezone

from takatsu_portal.accounts.models import Office, Section, User
from takatsu_portal.accounts.roles import Role
from takatsu_portal.core.fiscal import FiscalYear
from takatsu_portal.core.models import Policy
from training.models import Course, Enrolment, Evaluation, Requirement, Session
from training.stamp import training_changed

from .data import accounts as demo_accounts
from .data import training as data
from .writer import Tally, at, on, upsert

SEED = 13
ATTENDANCE = [("present", 85), ("late", 7), ("early", 4), ("absent", 4)]


def _weighted(rng, pairs):
    return rng.choices([v for v, _ in pairs], weights=[w for _, w in pairs])[0]


def seed_training(sections):
    office = Office.objects.get(code=demo_accounts.OFFICE_CODE)
    usernames = [p.username for p in demo_accounts.PEOPLE]
    users = User.objects.select_related("section").in_bulk(usernames, field_name="username")
    people = [users[name] for name in usernames if users[name].section_id]
    trainer = users["trainer"]
    fy = FiscalYear.current()
    today = timezone.localdate()
    rng = random.Random(SEED)  # noqa: S311 (demo data)
    tallies = {
        key: Tally(label)
        for key, label in [
            ("courses", "研修"),
            ("sessions", "研修の回"),
            ("enrolments", "受講"),
            ("evaluations", "研修評価"),
            ("requirements", "受講義務"),
        ]
    }
    _set_joined(users, fy)
    courses = _seed_courses(office, trainer, tallies["courses"])
    seeds = {seed.key: seed for seed in data.COURSES}
    managers = set(
        User.objects.filter(groups__name=Role.SECTION_MANAGER.label).values_list("pk", flat=True)
    )
    for person in people:
        person.is_manager = person.pk in managers
    windows = _window_sections(office)
    run = Run(rng, people, users, fy, today, trainer, windows)
    for year in (fy.previous(), fy):
        for key, course in courses.items():
            seed = seeds[key]
            for slot, (month, day, hour) in enumerate(seed.dates):
                start = at(on(year, month, day), hour)
                session = _session(course, seed, start, tallies["sessions"])
                run.fill(session, seed, year, slot, tallies)
    _seed_full_session(courses["access"], seeds["access"], people, users, today, tallies)
    _seed_approvals(courses["plain"], seeds["plain"], users, today, tallies)
    _seed_requirements(office, courses, tallies["requirements"])
    training_changed()  # enrolments written without the services: the shared pages made again
    return list(tallies.values())


def _window_sections(office):
    """Sections that run a service window (demo/feedback.py seeds them first)."""
    return set(
        Section.objects.filter(windows__is_active=True, department__office=office).values_list(
            "pk", flat=True
        )
    )


def _set_joined(users, fy):
    """Everyone joined the office years ago except this year's newcomers (1 April). Two plain
    UPDATEs at most (one per date): the join date is not an edit anyone made, and it writes no
    history."""
    long_ago = at(fy.start.replace(year=fy.year - 5), 9)
    first_day = at(fy.start, 9)
    for joined, chosen in (
        (first_day, [u for name, u in users.items() if name in data.NEWCOMERS]),
        (long_ago, [u for name, u in users.items() if name not in data.NEWCOMERS]),
    ):
        stale = [u for u in chosen if u.date_joined != joined]
        if stale:
            User.objects.filter(pk__in=[u.pk for u in stale]).update(date_joined=joined)
        for user in stale:
            user.date_joined = joined


def _seed_courses(office, trainer, tally):
    policies = {p.number: p for p in Policy.objects.for_office(office)}
    courses = {}
    for seed in data.COURSES:
        course = upsert(
            Course,
            lookup={"office": office, "title": seed.title},
            values={
                "category": seed.category,
                "kind": seed.kind,
                "hours": seed.hours,
                "objectives": seed.objectives,
                "needs_approval": seed.needs_approval,
                "evaluation_required": seed.evaluation_required,
                "organiser": trainer,
                "is_active": True,
            },
            tally=tally,
        )
        wanted = {policies[n] for n in seed.policies if n in policies}
        if set(course.policies.all()) != wanted:
            course.policies.set(wanted)
        courses[seed.key] = course
    return courses


def _session(course, seed, start, tally, capacity=None):
    return upsert(
        Session,
        lookup={"course": course, "starts_at": start},
        values={
            "ends_at": start + timedelta(hours=float(seed.hours) if seed.hours < 6 else 7),
            "place": "" if seed.online else seed.place,
            "online_url": "https://meet.city.kawasaki.example/training" if seed.online else "",
            "capacity": capacity or seed.capacity,
            "instructor": seed.instructor,
            "apply_by": start - timedelta(days=7),
            "cancel_by": start - timedelta(days=3),
        },
        tally=tally,
    )


def _enrol(
    session,
    user,
    index,
    tallies,
    *,
    state="confirmed",
    nominated_by=None,
    attendance="",
    completed_on=None,
):
    return upsert(
        Enrolment,
        lookup={"session": session, "user": user},
        values={
            "state": state,
            "applied_at": session.apply_by - timedelta(days=10) + timedelta(minutes=7 * index),
            "nominated_by": nominated_by,
            "attendance": attendance,
            "completed_on": completed_on,
        },
        tally=tallies["enrolments"],
    )


def _gap(user, year, fy):
    """Whether `user` is one of this year's gaps: two in three of the GAP_SECTIONS' staff."""
    return year == fy and user.section.name in data.GAP_SECTIONS and int(user.staff_number) % 3 != 0


def _held_slots(seed, year, today):
    return [i for i, (m, d, _) in enumerate(seed.dates) if on(year, m, d) < today]


class Run:
    """What one run decides, in memory (never read back from the database, so that a second
    run decides the same): who already has a place on a course in a year."""

    def __init__(self, rng, people, users, fy, today, trainer, windows):
        self.rng, self.people, self.users = rng, people, users
        self.fy, self.today, self.trainer, self.windows = fy, today, trainer, windows
        self.taken = {}

    def participants(self, session, seed, year, slot, held):
        """Who takes this session: [(user, nominated_by, forced)]; `forced` people attend and
        evaluate (the required courses outside this year's gaps)."""
        fy, users = self.fy, self.users
        if seed.key == "managers":
            return [(u, self.trainer, True) for u in self.people if u.is_manager]
        if seed.key == "newcomer":
            if year != fy:
                return []
            newcomers = [users[n] for n in data.NEWCOMERS]
            if slot == 0:  # April: the first two newcomers
                return [(u, self.trainer, True) for u in newcomers[:2]]
            # December: the third newcomer, with two colleagues named by the organiser.
            named = [newcomers[2], users["kato.miho"], users["maeda.mai"]]
            return [(u, self.trainer, u.username in data.NEWCOMERS) for u in named]
        if seed.key in ("service", "security"):
            slots = (
                _held_slots(seed, year, self.today) if year == fy else list(range(len(seed.dates)))
            )
            if slot in slots:
                chosen = [
                    u
                    for u in self.people
                    if int(u.staff_number) % len(slots) == slots.index(slot)
                    and not _gap(u, year, fy)
                ]
                return [(u, None, True) for u in chosen]
            # A session still to come: a few of this year's gaps have applied.
            gaps = [u for u in self.people if _gap(u, year, fy)]
            return [(u, None, False) for u in gaps[:4]]
        if seed.key == "plain" and held:
            # Window staff first (their rule asks for it), then others who applied.
            window_staff = [
                u
                for u in self.people
                if u.section_id in self.windows
                and not _gap(u, year, fy)
                and int(u.staff_number) % 2 == slot % 2
            ]
            others = [u for u in self.people if u.section_id not in self.windows]
            chosen = window_staff + self.rng.sample(others, 4)
            return [(u, None, u in window_staff) for u in chosen[: session.capacity]]
        count = self.rng.randint(max(4, session.capacity // 2), session.capacity)
        sample = self.rng.sample(self.people, min(count, len(self.people)))
        return [(u, None, False) for u in sample]

    def fill(self, session, seed, year, slot, tallies):
        held = timezone.localtime(session.starts_at).date() < self.today
        taken = self.taken.setdefault((seed.key, year.year), set())
        rng = self.rng
        for index, (user, nominated_by, forced) in enumerate(
            self.participants(session, seed, year, slot, held)
        ):
            if user.pk in taken:
                continue
            taken.add(user.pk)
            attendance = ""
            if held:
                attendance = "present" if forced else _weighted(rng, ATTENDANCE)
            # Whether the participant evaluates is drawn before the enrolment is written (in the
            # same order as ever, so the demo stays the same), so that the enrolment is written
            # once, with its completion date: one row and one history row.
            evaluated = False
            if held and attendance in ("present", "late", "early"):
                share = 90 if seed.evaluation_required else 70
                evaluated = forced or rng.randrange(100) < share
            done = attendance in ("present", "late") and (evaluated or not seed.evaluation_required)
            enrolment = _enrol(
                session,
                user,
                index,
                tallies,
                nominated_by=nominated_by,
                attendance=attendance,
                completed_on=timezone.localtime(session.starts_at).date() if done else None,
            )
            if evaluated:
                upsert(
                    Evaluation,
                    lookup={"enrolment": enrolment},
                    values={
                        "satisfaction": _weighted(rng, [(5, 35), (4, 45), (3, 15), (2, 5)]),
                        "usefulness": _weighted(rng, [(5, 30), (4, 45), (3, 20), (2, 5)]),
                        "comments": rng.choice(data.COMMENTS),
                    },
                    tally=tallies["evaluations"],
                )


def _monday_in(today, weeks):
    return today - timedelta(days=today.weekday()) + timedelta(weeks=weeks)


def _seed_full_session(course, seed, people, users, today, tallies):
    """An extra session two weeks ahead: 12 seats taken, four on the waiting list (the demo
    `staff` second among them)."""
    start = at(_monday_in(today, 2) + timedelta(days=1), 14)
    session = _session(course, seed, start, tallies["sessions"], capacity=12)
    others = [u for u in people if u.username not in ("staff", "trainer")]
    ordered = others[:12] + [others[12], users["staff"], others[13], others[14]]
    for index, user in enumerate(ordered):
        _enrol(session, user, index, tallies, state="confirmed" if index < 12 else "waiting")


def _seed_approvals(course, seed, users, today, tallies):
    """An extra やさしい日本語 session three weeks ahead: two 区民課 applications wait for the
    区民課長 (demo `manager`), and two people already approved."""
    start = at(_monday_in(today, 3) + timedelta(days=2), 10)
    session = _session(course, seed, start, tallies["sessions"])
    for index, name in enumerate(["staff", "kato.miho"]):
        _enrol(session, users[name], index, tallies, state="pending")
    for index, name in enumerate(["ogawa.daiki", "ikeda.nanami"], start=2):
        _enrol(session, users[name], index, tallies, state="confirmed")


def _seed_requirements(office, courses, tally):
    for rule in data.REQUIREMENTS:
        what, key = rule.what
        upsert(
            Requirement,
            lookup={"office": office, "title": rule.title},
            values={
                "audience": rule.audience,
                "course": courses[key] if what == "course" else None,
                "category": key if what == "category" else "",
                "due": rule.due,
                "months": rule.months,
                "role": rule.role,
                "section": None,
                "is_active": True,
            },
            tally=tally,
        )
