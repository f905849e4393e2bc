"""`manage.py seed_demo`: a fictional 高津区役所 to try the portal with on a development machine.

It builds the organisation (office, departments, sections), about sixty staff spread over the
sections, and one account per role (admin, staff, wglead, subcommittee, council, manager), all
with the password `takatsu-demo`. The data lives in `accounts/demo_data.py`.

Each part is a function that runs inside one transaction, so a failure leaves nothing behind.
Later issues extend the demo by adding their own functions after `seed_staff()` (for example
`seed_plans()`, `seed_feedback()`, `seed_bulletins()`, `seed_training()`), each as idempotent as
these: a missing row is created, an existing row is saved only when a demo field differs (every
save adds a history row), and nothing is ever deleted.
"""

import random
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction

from takatsu_portal.accounts import demo_data
from takatsu_portal.accounts.models import Department, Office, Section, User
from takatsu_portal.accounts.roles import Role, assign_role, roles_of

CHANGE_REASON = "デモデータ投入（seed_demo）"
STAFF_NUMBER_SEED = 2026


@dataclass
class Tally:
    """What one run did to the rows of one kind."""

    label: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self):
        return self.created + self.updated + self.unchanged

    def __str__(self):
        return f"{self.label}: {self.total}（新規 {self.created}、更新 {self.updated}）"


def upsert(model, *, lookup, values, tally, on_create=None):
    """The row found by `lookup`, created with `values` (and `on_create`) when missing.

    An existing row gets `values` back, but is saved only when one of them differs, and then
    only those fields: each save writes a history row, and a second run must write none.
    `on_create` fields (the demo password) are never put back on an existing row.
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values, **(on_create or {}))
        obj._change_reason = CHANGE_REASON
        obj.save()
        tally.created += 1
        return obj
    changed = []
    for name, value in values.items():
        current = getattr(obj, model._meta.get_field(name).attname)
        if current != (value.pk if isinstance(value, models.Model) else value):
            setattr(obj, name, value)
            changed.append(name)
    if changed:
        obj._change_reason = CHANGE_REASON
        obj.save(update_fields=changed)
        tally.updated += 1
    else:
        tally.unchanged += 1
    return obj


def seed_organisation():
    """The office with its departments and sections; returns ({section name: Section}, tallies)."""
    offices, departments, sections = Tally("区役所"), Tally("部"), Tally("課")
    office = upsert(
        Office,
        lookup={"code": demo_data.OFFICE_CODE},
        values={"name": demo_data.OFFICE_NAME},
        tally=offices,
    )
    by_name = {}
    for department_order, (department_name, section_names) in enumerate(
        demo_data.ORGANISATION, start=1
    ):
        department = upsert(
            Department,
            lookup={"office": office, "name": department_name},
            values={"sort_order": department_order * 10},
            tally=departments,
        )
        for section_order, section_name in enumerate(section_names, start=1):
            by_name[section_name] = upsert(
                Section,
                lookup={"department": department, "name": section_name},
                values={"sort_order": section_order * 10},
                tally=sections,
            )
    return by_name, [offices, departments, sections]


def staff_numbers(count):
    """`count` distinct six-digit staff numbers, the same on every run. The n-th number depends
    only on the draws before it, so people added at the end of the list keep everyone else's."""
    rng = random.Random(STAFF_NUMBER_SEED)  # noqa: S311  (demo data, not a secret)
    numbers = []
    while len(numbers) < count:
        number = str(rng.randrange(100000, 1000000))
        if number not in numbers:
            numbers.append(number)
    return numbers


def seed_staff(sections):
    """The demo accounts and the other staff, with their roles; returns tallies.

    Roles are only added: a role given by hand to a demo user since the last run stays.
    """
    staff = Tally("職員")
    # One hash for everyone: the default PBKDF2 hasher takes about 0.3 s per password.
    hashed = make_password(demo_data.DEMO_PASSWORD)
    people = demo_data.PEOPLE
    for person, number in zip(people, staff_numbers(len(people)), strict=True):
        user = upsert(
            User,
            lookup={"username": person.username},
            values={
                "full_name": person.full_name,
                "full_name_kana": person.full_name_kana,
                "staff_number": number,
                "email": f"{person.username}@{demo_data.EMAIL_DOMAIN}",
                "section": sections[person.section],
            },
            on_create={"password": hashed},
            tally=staff,
        )
        held = roles_of(user)
        for role in person.roles:
            if role not in held:
                assign_role(user, role)
    return [staff]


class Command(BaseCommand):
    help = (
        "開発用のデモデータ（架空の高津区役所の組織、約60名の職員、役割ごとのデモ用アカウント "
        "admin / staff / wglead / subcommittee / council / manager）を作成します。"
        "DEBUG=true のときだけ実行でき、何度実行しても同じ結果になります。"
        f"パスワード {demo_data.DEMO_PASSWORD} はアカウントの新規作成時にだけ設定し、"
        "変更済みのパスワードは上書きしません。 / "
        "Create demo data for development: a fictional 高津区役所 with its departments and "
        "sections, about 60 staff, and one account per role. Runs only when DEBUG is true; "
        "running it again changes nothing. The password "
        f"{demo_data.DEMO_PASSWORD} is set only when an account is created, so a password "
        "changed since is kept."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo は DEBUG=true の開発環境でのみ実行できます"
                "（公開されたパスワードのアカウントを作成するため）。 / "
                "seed_demo runs only when DEBUG is true: it creates accounts with a published "
                "password."
            )
        with transaction.atomic():
            sections, tallies = seed_organisation()
            tallies += seed_staff(sections)
            from plans.demo import seed_plans  # not at the top: plans.demo imports this module

            tallies += seed_plans(sections)
            from feedback.demo import seed_feedback  # after the plans: voices cite projects

            tallies += seed_feedback(sections)
            if settings.DEMO_REPORTS:
                from takatsu_portal.reports.demo import seed_reports  # after the data they print

                tallies += seed_reports(Tally)
        self._summary(tallies)

    def _summary(self, tallies):
        self.stdout.write(
            self.style.SUCCESS(f"{demo_data.OFFICE_NAME}のデモデータを用意しました。")
        )
        for tally in tallies:
            self.stdout.write(f"  {tally}")
        self.stdout.write(
            f"デモ用アカウント（パスワード {demo_data.DEMO_PASSWORD}、作成時のみ設定）:"
        )
        users = User.objects.select_related("section").in_bulk(
            demo_data.DEMO_USERNAMES, field_name="username"
        )
        for person in demo_data.DEMO_ACCOUNTS:
            user = users[person.username]
            roles = "・".join(Role(role).label for role in person.roles)
            who = f"{user.full_name}　{user.section}　{person.title}"
            self.stdout.write(f"  {person.username:<13} {who}　［{roles}］")
