"""The one access helper for report jobs: every reports view loads jobs through it."""

from takatsu_portal.accounts.permissions import check_perm, get_object_for_user

from .kinds import REGISTRY
from .models import ReportJob

REFUSAL = "報告書は推進部会委員・区企画調整会議委員・課長・管理者が利用できます。"


def jobs_for(user):
    return ReportJob.objects.for_user(user).for_list()


def get_job_for_user(user, pk):
    """404 outside the user's office; 403 without the kind's permission."""
    check_perm(user, "portal.view_reports", message=REFUSAL)
    job = get_object_for_user(user, jobs_for(user), perm="portal.view_reports", pk=pk)
    kind = REGISTRY.get(job.kind)
    check_perm(user, kind.permission if kind else "portal.view_reports", message=REFUSAL)
    return job
