"""The year-end evaluation (年度末評価) of each project, and an indicator's achievement
(used by the evaluation, the progress board and the reports).
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from takatsu_portal.accounts.permissions import check_perm
from takatsu_portal.core.versioning import save_versioned

from ..models import YearEndEvaluation

# ---------------------------------------------------------------------------------------------
# Year-end evaluation


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
