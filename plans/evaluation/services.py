"""The year-end evaluation (年度末評価) of each project, and an indicator's achievement
(used by the evaluation, the progress board and the reports).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from takatsu_portal.accounts.permissions import check_perm
from takatsu_portal.core.versioning import save_versioned

from ..models import YearEndEvaluation

# ---------------------------------------------------------------------------------------------
# Year-end evaluation


def achievement(indicator, actual):
    """How far the indicator moved from its baseline towards its target, in percent (None
    without an actual value). For 'maintain', 100 when the actual is at or beyond the target
    in the indicator's favourable sense, else the ratio."""
    if actual is None:
        return None
    baseline, target = Decimal(indicator.baseline), Decimal(indicator.target)
    if indicator.direction == indicator.Direction.MAINTAIN or target == baseline:
        if target == 0:
            return Decimal(100) if actual >= 0 else Decimal(0)
        return min(Decimal(100), (Decimal(actual) / target * 100)).quantize(Decimal("0.1"))
    return ((Decimal(actual) - baseline) / (target - baseline) * 100).quantize(Decimal("0.1"))


@transaction.atomic
def evaluation_save(*, project, by, grade, reason, decision, expected_version=None):
    check_perm(
        by,
        "plans.evaluate_project",
        project,
        "年度末評価を記録できるのは推進部会の委員です（事業実施中の計画のみ）。",
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "評価の理由を入力してください。"})
    evaluation = getattr(project, "evaluation", None) or YearEndEvaluation(project=project)
    evaluation.grade = grade
    evaluation.reason = reason
    evaluation.decision = decision
    evaluation.evaluated_by = by
    return save_versioned(evaluation, by=by, expected_version=expected_version)
