"""What the demo's two wards share or exchange (after demo/city.py made 宮前区役所):

- one pending staff transfer (人事異動) of a member of 高津区's staff to 宮前区 on the next
  1 April (applied on its date by `accounts.apply_staff_transfers`);
- 宮前区's good practices shared city-wide by its subcommittee (「他区の優良事例」), one
  recently (the home page of 高津区's planners mentions it), and the older one copied by 高津区's
  subcommittee into a proposal of this year's plan, with the notice 宮前区 received.

Rows are written as every demo seeder writes them (`demo/writer.py`): found by their natural
keys, created with the history they would have had, saved again only when a field differs.
"""

from datetime import timedelta

from plans.access import subcommittee_members
from plans.models import AnnualPlan, Improvement, Proposal
from plans.practices.services import proposal_description, source_note
from takatsu_portal.accounts.models import Office, Section, StaffTransfer, User
from takatsu_portal.core.fiscal import FiscalYear, today
from takatsu_portal.core.models import InitiativeArea, Notification, Policy

from .data import accounts as takatsu_data
from .data import city as city_data
from .data import citywide as data
from .writer import Step, Tally, at, put, upsert, workday


def seed_citywide(sections):
    """The transfer and the good practices (module docstring); returns tallies. Each ward's
    office settings are written with the office (demo/accounts.py `organisation`)."""
    tallies = {}

    def tally(label):
        return tallies.setdefault(label, Tally(label))

    takatsu = Office.objects.get(code=takatsu_data.OFFICE_CODE)
    miyamae = Office.objects.get(code=city_data.OFFICE_CODE)
    _seed_transfer(miyamae, tally("人事異動（予定）"))
    practices = _seed_practices(miyamae, tally("全市に共有した優良事例"))
    _seed_copy(takatsu, miyamae, practices[0], tally)
    return list(tallies.values())


def _seed_transfer(miyamae, tally):
    person = User.objects.get(username=data.TRANSFER_USER)
    section = Section.objects.for_office(miyamae).get(name=data.TRANSFER_TO_SECTION)
    upsert(
        StaffTransfer,
        lookup={"user": person, "effective_on": FiscalYear.current().next().start},
        values={
            "to_section": section,
            "note": data.TRANSFER_NOTE,
            "created_by": User.objects.get(username=data.TRANSFER_BY),
        },
        tally=tally,
    )


def _days_ago(days):
    """`days` before today, but never before this fiscal year's first working day."""
    return max(workday(today() - timedelta(days=days)), FiscalYear.current().start)


def _seed_practices(miyamae, tally):
    people = User.objects.in_bulk(
        [name for seed in data.PRACTICES for name in (seed.author, seed.manager)] + [data.SHARER],
        field_name="username",
    )
    sharer = people[data.SHARER]
    policies = {row.number: row for row in Policy.objects.for_office(miyamae)}
    made = []
    for seed in data.PRACTICES:
        author, manager = people[seed.author], people[seed.manager]
        recorded = _days_ago(seed.recorded_ago)
        acknowledged = at(min(recorded + timedelta(days=seed.acknowledged_after), today()), 11)
        shared = max(at(_days_ago(seed.shared_ago), 15), acknowledged + timedelta(hours=1))
        unacknowledged = {
            "acknowledged_by": None,
            "acknowledged_at": None,
            "manager_comment": "",
            "is_good_practice": False,
            "shared_citywide_at": None,
            "shared_citywide_by": None,
        }
        made.append(
            put(
                Improvement,
                lookup={"author": author, "title": seed.title},
                values={
                    "section": author.section,
                    "problem": seed.problem,
                    "change": seed.change,
                    "effect": seed.effect,
                    "related_goal": seed.goal,
                    "recorded_on": recorded,
                    "acknowledged_by": manager,
                    "acknowledged_at": acknowledged,
                    "manager_comment": seed.comment,
                    "is_good_practice": True,
                    "shared_citywide_at": shared,
                    "shared_citywide_by": sharer,
                },
                m2m={"policies": [policies[number] for number in seed.policies]},
                steps=[
                    Step(at(recorded, 17), author, "", unacknowledged),
                    Step(
                        acknowledged,
                        manager,
                        "課長確認",
                        {"shared_citywide_at": None, "shared_citywide_by": None},
                    ),
                    Step(shared, sharer, "全市に共有"),
                ],
                tally=tally,
            )
        )
    return made


def _seed_copy(takatsu, miyamae, practice, tally):
    """高津区's subcommittee copied 宮前区's first practice into this year's plan, and 宮前区's
    subcommittee was told."""
    copier = User.objects.get(username=data.COPIER)
    plan = AnnualPlan.objects.get(office=takatsu, fiscal_year=FiscalYear.current().year)
    policies = Policy.objects.for_office(takatsu).filter(
        number__in=[p.number for p in practice.policies.all()]
    )
    copied = max(at(_days_ago(data.COPIED_AGO), 10), practice.shared_citywide_at)
    note = source_note(practice)
    proposal = put(
        Proposal,
        lookup={"plan": plan, "title": practice.title},
        values={
            "description": proposal_description(practice),
            "initiative_area": InitiativeArea.objects.for_office(takatsu).get(
                number=data.COPY_AREA
            ),
            "section": Section.objects.for_office(takatsu).get(name=data.COPY_SECTION),
            "budget_estimate": data.COPY_ESTIMATE,
            "proposer": copier,
            "status": Proposal.Status.SUBMITTED,
            "source_practice": practice,
            "source_note": note,
        },
        m2m={"policies": list(policies)},
        stamps={"submitted_at": copied},
        steps=[
            Step(copied, copier, f"他区の優良事例から取り込み：{note}", {"budget_estimate": 0}),
            Step(copied + timedelta(minutes=20), copier, "修正"),
        ],
        tally=tally("他区の優良事例から取り込んだ事業企画案"),
    )
    message = f"{takatsu}が優良事例「{practice.title}」を事業企画案として取り込みました"
    for member in subcommittee_members(miyamae):
        put(
            Notification,
            lookup={"recipient": member, "message": message},
            values={"url": practice.get_absolute_url(), "read_at": None},
            stamps={"created_at": copied},
            steps=[Step(copied, None)],
            tally=tally("お知らせ"),
        )
    return proposal
