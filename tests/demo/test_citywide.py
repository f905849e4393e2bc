"""The demo's exchanges between its two wards (demo/citywide.py): office settings, a pending
transfer, 宮前区's good practices shared city-wide and the one 高津区 copied as a proposal."""

import pytest
from django.urls import reverse

from demo import city, citywide, plans
from demo.data import accounts as takatsu_data
from demo.data import city as city_data
from demo.data import citywide as data
from plans.models import Improvement, Proposal
from takatsu_portal.accounts.models import Office, StaffTransfer, User
from takatsu_portal.core.fiscal import FiscalYear
from takatsu_portal.core.models import Notification

from . import seeding

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    yield from seeding.once(
        django_db_blocker,
        lambda: seeding.parts(plans.seed_plans, city.seed_city, citywide.seed_citywide),
    )


def test_both_wards_have_their_office_settings(seeded):
    for module in (takatsu_data, city_data):
        office = Office.objects.get(code=module.OFFICE_CODE)
        assert module.OFFICE_SETTINGS
        for name, value in module.OFFICE_SETTINGS.items():
            assert getattr(office, name) == value, (office, name)
    assert Office.objects.get(code="miyamae").portal_title == "宮前区役所サービスポータル"


def test_a_takatsu_person_is_to_move_to_miyamae_next_april(seeded):
    transfer = StaffTransfer.objects.pending().get()
    assert transfer.user.username == data.TRANSFER_USER
    assert transfer.user.office.code == "takatsu"
    assert transfer.to_section.department.office.code == "miyamae"
    assert transfer.effective_on == FiscalYear.current().next().start


def test_miyamae_shares_its_practices_citywide_with_their_history(seeded):
    practices = Improvement.objects.shared_citywide()
    assert practices.count() == len(data.PRACTICES)
    for practice in practices:
        assert practice.section.department.office.code == "miyamae"
        assert practice.shared_citywide_by.username == data.SHARER
        latest = practice.history.first()
        assert latest.history_change_reason == "全市に共有"
        assert latest.history_user.username == data.SHARER
        assert practice.acknowledged_at < practice.shared_citywide_at


def test_takatsu_copied_one_into_a_proposal_and_miyamae_was_told(seeded):
    first = Improvement.objects.get(title=data.PRACTICES[0].title)
    proposal = Proposal.objects.get(source_practice=first)
    assert proposal.plan.office.code == "takatsu"
    assert proposal.source_note.startswith("宮前区役所")
    assert {p.office.code for p in proposal.policies.all()} == {"takatsu"}
    assert proposal.history.last().history_change_reason.startswith("他区の優良事例から取り込み")
    told = Notification.objects.filter(url=first.get_absolute_url())
    assert {n.recipient.office.code for n in told} == {"miyamae"}


def test_the_pages_show_them(seeded, client):
    client.force_login(User.objects.get(username="subcommittee"))
    home = client.get(reverse("home")).content.decode()
    assert "他区の優良事例が1件、新しく共有されました" in home
    page = client.get(reverse("plans:practice_list")).content.decode()
    for seed in data.PRACTICES:
        assert seed.title in page
    client.force_login(User.objects.get(username="miyamae-staff"))
    page = client.get(reverse("plans:practice_list")).content.decode()
    assert data.PRACTICES[0].title not in page  # its own ward's: not another ward's


def test_a_second_run_changes_nothing(seeded):
    seeding.assert_unchanged(citywide.seed_citywide(None))
