"""Good practices shared city-wide (優良事例の全市共有): a ward's subcommittee shares one of its
ward's good practices with every ward and may withdraw it; a member of another ward copies it
into a proposal (事業企画案) of their own office's plan.

Every function takes keyword arguments, checks the permission of `by` itself, runs in one
transaction and records who did it in the history (the improvement's and the proposal's).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

from takatsu_portal.accounts.permissions import check_perm
from takatsu_portal.core import attention
from takatsu_portal.core.fiscal import FiscalYear
from takatsu_portal.core.models import Notification
from takatsu_portal.core.notifications import notify_many
from takatsu_portal.core.versioning import save_versioned

from ..access import subcommittee_members
from ..models import Proposal, Stage
from ..proposals.services import ADOPTABLE_STAGES

SHARE_REFUSAL = (
    "優良事例を全市に共有できるのは、その区役所の推進部会の委員です"
    "（課長が確認し、優良事例とした改善だけです）。"
)
COPY_REFUSAL = (
    "他区の優良事例を事業企画案として取り込めるのは、区役所の職員です"
    "（総合企画局のアカウントと自区の事例は取り込めません）。"
)
NO_OPEN_PLAN = (
    "あなたの区役所には、いま事業企画案を受け付けている計画がありません"
    "（提案を採択できるのは、素案作成から事業企画案作成までの計画です）。"
    "次年度の計画ができてから取り込んでください。"
)


def _message(text):
    return Truncator(text).chars(Notification._meta.get_field("message").max_length)


@transaction.atomic
def practice_share(*, improvement, by, expected_version=None):
    """The ward's subcommittee shares one of its good practices with every ward of the city:
    it appears in 「他区の優良事例」 of the other wards (and the city's)."""
    check_perm(by, "plans.share_practice", improvement, SHARE_REFUSAL)
    if improvement.is_shared_citywide:
        raise ValidationError("この優良事例はすでに全市に共有しています。")
    improvement.shared_citywide_at = timezone.now()
    improvement.shared_citywide_by = by
    save_versioned(improvement, by=by, expected_version=expected_version, reason="全市に共有")
    # Every other ward's planners see it on their home page (practices/attention.py).
    attention.changed()
    return improvement


@transaction.atomic
def practice_withdraw(*, improvement, by, expected_version=None):
    """The ward's subcommittee takes a practice back from the city-wide list. Proposals
    already copied from it stay, with their note of where they came from."""
    check_perm(by, "plans.share_practice", improvement, SHARE_REFUSAL)
    if not improvement.is_shared_citywide:
        raise ValidationError("この優良事例は全市に共有していません。")
    improvement.shared_citywide_at = None
    improvement.shared_citywide_by = None
    save_versioned(
        improvement, by=by, expected_version=expected_version, reason="全市への共有を取り下げ"
    )
    attention.changed()
    return improvement


def proposal_plans(office):
    """The plans of `office` that take a copied practice: those that still adopt proposals
    (素案作成 to 事業企画案作成), this fiscal year's first."""
    from ..models import AnnualPlan

    return AnnualPlan.objects.for_office(office).filter(stage__in=ADOPTABLE_STAGES)


def default_plan(plans):
    """This fiscal year's plan when it is among `plans`, else the latest one."""
    plans = list(plans)
    current = FiscalYear.current().year
    this_year = next((p for p in plans if p.fiscal_year == current), None)
    return this_year or (max(plans, key=lambda p: p.fiscal_year) if plans else None)


def source_note(practice):
    """Where a copied proposal came from, in words that outlive the practice's withdrawal."""
    section = practice.section
    fy = FiscalYear.of(practice.recorded_on)
    return Truncator(
        f"{section.department.office}　{section}の優良事例「{practice.title}」（{fy.era_label}）"
    ).chars(Proposal._meta.get_field("source_note").max_length)


def proposal_description(practice):
    return (
        f"【課題（改善前の状況）】\n{practice.problem}\n\n"
        f"【改善の内容】\n{practice.change}\n\n"
        f"【効果】\n{practice.effect}"
    )


@transaction.atomic
def practice_copy(*, practice, by, plan, policies, initiative_area, section=None):
    """A member of another ward copies a practice shared city-wide into a new proposal of
    their own office's plan, with their office's policies (mapped by number, chosen on the
    form); the proposal notes where it came from. The proposer's subcommittee is told of the
    new proposal, and the source ward's subcommittee and the practice's author that it was
    copied."""
    check_perm(by, "plans.add_proposal", message=COPY_REFUSAL)
    check_perm(by, "plans.copy_practice", practice, COPY_REFUSAL)
    if not practice.is_shared_citywide or not practice.is_good_practice:
        raise ValidationError("この優良事例は全市への共有が取り下げられました。")
    office = by.office
    if plan is None or plan.office_id != office.pk:
        raise ValidationError({"plan": "自分の区役所の計画を選んでください。"})
    if Stage(plan.stage) not in ADOPTABLE_STAGES:
        raise ValidationError({"plan": NO_OPEN_PLAN})
    policies = list(policies)
    if not policies:
        raise ValidationError({"policies": "基本方針を一つ以上選んでください。"})
    if any(p.office_id != office.pk for p in policies):
        raise ValidationError({"policies": "自分の区役所の基本方針を選んでください。"})
    if initiative_area is None or initiative_area.office_id != office.pk:
        raise ValidationError({"initiative_area": "自分の区役所の具体的な取組を選んでください。"})
    note = source_note(practice)
    proposal = Proposal(
        plan=plan,
        title=practice.title,
        description=proposal_description(practice),
        initiative_area=initiative_area,
        section=section or by.section,
        budget_estimate=0,
        proposer=by,
        status=Proposal.Status.SUBMITTED,
        source_practice=practice,
        source_note=note,
    )
    save_versioned(proposal, by=by, reason=f"他区の優良事例から取り込み：{note}")
    proposal.policies.set(policies)
    notify_many(
        recipients=subcommittee_members(office).exclude(pk=by.pk),
        message=_message(
            f"事業企画案「{proposal.title}」が提出されました（他区の優良事例から取り込み）"
        ),
        url=proposal.get_absolute_url(),
    )
    source_office = practice.section.department.office
    recipients = {u.pk: u for u in subcommittee_members(source_office)}
    if practice.author.is_active:
        recipients.setdefault(practice.author_id, practice.author)
    notify_many(
        recipients=recipients.values(),
        message=_message(f"{office}が優良事例「{practice.title}」を事業企画案として取り込みました"),
        url=practice.get_absolute_url(),
    )
    return proposal
