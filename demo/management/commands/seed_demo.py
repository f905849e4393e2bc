"""`manage.py seed_demo`: a fictional 高津区役所 to try the portal with on a development machine.

It builds the organisation (office, departments, sections), about sixty staff spread over the
sections, and one account per role (admin, staff, wglead, subcommittee, council, manager), all
with the password `takatsu-demo`; then a second, smaller ward (宮前区役所, `demo/city.py`)
and the city planning bureau's account `city`.

Each part is a function that runs inside one transaction, so a failure leaves nothing behind.
Each app's demo is a module of this package (`demo/<app>.py`, its data in `demo/data/`) with
a seeder `seed_<app>(sections)` listed in SEEDERS, in the order the data depends on: each is
as idempotent as the others (`demo/writer.py`): a missing row is created, an existing row is
saved only when a demo field differs (every save adds a history row), and nothing is ever
deleted.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from takatsu_portal.accounts.models import User
from takatsu_portal.accounts.roles import Role
from takatsu_portal.core import attention

from ... import (
    accounts,
    bulletins,
    city,
    citywide,
    feedback,
    inspections,
    plain_language,
    plans,
    reports,
    training,
)
from ...data import accounts as demo_data
from ...data import city as city_data
from ...writer import analyze


def _reports(sections):
    """One PDF of each kind, after the data they print (DEMO_REPORTS=false skips them)."""
    if not settings.DEMO_REPORTS:
        return []
    analyze()  # the reports' queries run over what the seeders above just wrote
    return reports.seed_reports()


# In the order the data depends on: the plans, then feedback (voices cite projects), the
# inspections (findings become proposals of the plan and cite voices), training (its window rule
# reads feedback's windows), the texts for the plain-language audit, the bulletin, then the
# reports that print them. The second ward and the city account come after Takatsu's own data,
# so that none of Takatsu's seeders ever meets them.
SEEDERS = [
    plans.seed_plans,
    feedback.seed_feedback,
    inspections.seed_inspections,
    training.seed_training,
    plans.seed_indicator_sources,  # the 接遇研修 project's indicator reads training's records
    plain_language.seed_plain_language,
    bulletins.seed_bulletins,
    city.seed_city,
    citywide.seed_citywide,  # office settings, a transfer, good practices shared city-wide
    _reports,
]


class Command(BaseCommand):
    help = (
        "開発用のデモデータ（架空の高津区役所の組織、約60名の職員、役割ごとのデモ用アカウント "
        "admin / staff / wglead / subcommittee / council / manager）、2つ目の区役所（宮前区役所）と"
        "総合企画局のアカウント city を作成します。"
        "DEBUG=true のときだけ実行でき、何度実行しても同じ結果になります。"
        f"パスワード {demo_data.DEMO_PASSWORD} はアカウントの新規作成時にだけ設定し、"
        "変更済みのパスワードは上書きしません。 / "
        "Create demo data for development: a fictional 高津区役所 with its departments and "
        "sections, about 60 staff, and one account per role; a second ward (宮前区役所) and the "
        "city planning bureau's account `city`. Runs only when DEBUG is true; "
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
            sections, tallies = accounts.seed_organisation()
            tallies += accounts.seed_staff(sections)
            for seeder in SEEDERS:
                tallies += seeder(sections)
            analyze()
            # The seeders write most rows without the services: every kept page and list is
            # made again from the new data (once more when the transaction commits).
            attention.changed()
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
        accounts = demo_data.DEMO_ACCOUNTS + city_data.DEMO_ACCOUNTS
        users = User.objects.select_related("section__department__office").in_bulk(
            [person.username for person in accounts], field_name="username"
        )
        for person in accounts:
            user = users.get(person.username)
            if user is None:  # a seeder left out (tests run the command without some)
                continue
            roles = "・".join(Role(role).label for role in person.roles)
            where = (
                f"{user.section.department.office}　{user.section}"
                if user.section
                else "所属課なし"
            )
            who = f"{user.full_name}　{where}　{person.title}"
            self.stdout.write(f"  {person.username:<20} {who}　［{roles}］")
