"""Staff transfers (人事異動) between wards on 1 April: entered ahead in the admin, applied on
the date by the daily beat task; the person's own row (records, history, training) stays with
them, and their access moves with their section at the date."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from plans.models import Stage
from takatsu_portal.accounts.models import StaffTransfer
from takatsu_portal.accounts.roles import Role
from takatsu_portal.accounts.tasks import apply_staff_transfers
from takatsu_portal.accounts.transfers import transfers_apply_due
from tests.factories import DepartmentFactory, OfficeFactory, SectionFactory, UserFactory
from tests.plans.factories import PlanFactory, ProposalFactory

pytestmark = pytest.mark.django_db

BEFORE = "2027-03-31 18:00 +0900"
ON_THE_DAY = "2027-04-01 00:05 +0900"


@pytest.fixture
def wards():
    takatsu = OfficeFactory()
    miyamae = OfficeFactory(code="miyamae", name="宮前区役所")
    return {
        "takatsu": (takatsu, SectionFactory(department=DepartmentFactory(office=takatsu))),
        "miyamae": (miyamae, SectionFactory(department=DepartmentFactory(office=miyamae))),
    }


@pytest.fixture
def person(wards):
    _, section = wards["takatsu"]
    return UserFactory(
        username="tenkin", full_name="転勤 太郎", roles=[Role.STAFF, Role.SUBCOMMITTEE],
        section=section,
    )  # fmt: skip


@pytest.fixture
def plans(wards):
    return {
        code: PlanFactory(office=office, fiscal_year=2026, stage=Stage.IN_PROGRESS)
        for code, (office, _) in wards.items()
    }


@pytest.fixture
def transfer(person, wards, plans):
    _, section = wards["miyamae"]
    return StaffTransfer.objects.create(
        user=person, to_section=section, effective_on=datetime.date(2027, 4, 1), note="定期人事異動"
    )


def status(client, plan):
    return client.get(reverse("plans:plan_detail", args=[plan.pk])).status_code


def test_access_stays_with_the_old_ward_until_the_date_and_moves_on_it(
    client, person, plans, transfer, wards
):
    with time_machine.travel(BEFORE, tick=False):
        client.force_login(person)  # a session of that day (sessions expire)
        assert apply_staff_transfers() == 0
        assert status(client, plans["takatsu"]) == 200
        assert status(client, plans["miyamae"]) == 404
    with time_machine.travel(ON_THE_DAY, tick=False):
        client.force_login(person)
        assert apply_staff_transfers() == 1
        assert status(client, plans["takatsu"]) == 404
        assert status(client, plans["miyamae"]) == 200
    person.refresh_from_db()
    assert person.office == wards["miyamae"][0]
    transfer.refresh_from_db()
    assert transfer.from_section == wards["takatsu"][1] and transfer.applied_at is not None


def test_the_person_keeps_their_row_records_and_history(client, person, plans, transfer):
    proposal = ProposalFactory(plan=plans["takatsu"], proposer=person)
    pk = person.pk
    with time_machine.travel(ON_THE_DAY, tick=False):
        transfers_apply_due(day=transfer.effective_on)
    person.refresh_from_db()
    assert person.pk == pk
    proposal.refresh_from_db()
    assert proposal.proposer_id == pk  # their records stay theirs
    transfer.refresh_from_db()
    newest = person.history.first()
    assert newest.history_change_reason == "人事異動（2027年04月01日発令）"
    assert newest.prev_record.section_id == transfer.from_section_id


def test_running_the_task_again_or_late_applies_each_transfer_once(person, transfer, wards):
    with time_machine.travel("2027-04-03 09:00 +0900", tick=False):  # the beat missed 4/1
        assert apply_staff_transfers() == 1
        assert apply_staff_transfers() == 0
    assert person.history.filter(history_change_reason__startswith="人事異動").count() == 1


def test_the_administrator_enters_a_transfer_in_the_admin(client, person, wards):
    admin = UserFactory(roles=[Role.ADMINISTRATOR])
    client.force_login(admin)
    _, section = wards["miyamae"]
    response = client.post(
        reverse("admin:accounts_stafftransfer_add"),
        {"user": person.pk, "to_section": section.pk, "effective_on": "2027-04-01", "note": ""},
    )
    assert response.status_code == 302
    transfer = StaffTransfer.objects.get(user=person)
    assert transfer.created_by == admin and transfer.applied_at is None
    assert transfer.history.get().history_user == admin
