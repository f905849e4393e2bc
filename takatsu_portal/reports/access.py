"""The one access helper for report jobs: every reports view loads jobs through it."""

from takatsu_portal.accounts.permissions import check_perm, get_object_for_user, user_may

from .kinds import REGISTRY, kinds
from .models import ReportJob

REFUSAL = "報告書は推進部会委員・区企画調整会議委員・課長・管理者が利用できます。"
REQUEST_REFUSAL = "報告書の作成を依頼できるのは推進部会委員と管理者です。"


def readable_kinds(user):
    return [
        kind.key for kind in kinds() if kind.on_reports_page and user_may(user, kind.permission)
    ]


def requestable_kinds(user):
    return [
        kind for kind in kinds() if kind.on_reports_page and user_may(user, kind.request_permission)
    ]


def jobs_for(user):
    """Jobs of the user's office, of the kinds the user may read."""
    return ReportJob.objects.for_user(user).filter(kind__in=readable_kinds(user)).for_list()


def get_job_for_user(user, pk):
    """404 outside the user's office; 403 without the kind's permission."""
    check_perm(user, "portal.view_reports", message=REFUSAL)
    job = get_object_for_user(
        user, ReportJob.objects.for_user(user).for_list(), perm="portal.view_reports", pk=pk
    )
    kind = REGISTRY.get(job.kind)
    check_perm(user, kind.permission if kind else "portal.view_reports", message=REFUSAL)
    return job
