"""Demo reports for seed_demo: one finished version of each kind for the demo office (rendered
by the worker's task run in this process: the demo must not depend on a running worker), the
year-end evaluation presented at the pending agenda item of the council's last meeting, and one
failed job whose page shows the reason and the retry button.

Idempotent: a kind that already has a finished demo job with the same parameters is not
rendered again, and the failed job is made once."""

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from plans.council.services import agenda_item_present_report
from plans.models import AgendaItem
from takatsu_portal.accounts.models import Office, User
from takatsu_portal.reports.kinds import kinds
from takatsu_portal.reports.models import ReportJob, ReportJobEvent, job_event
from takatsu_portal.reports.tasks import render_report

from .data.accounts import OFFICE_CODE
from .data.city import CITY_ACCOUNT
from .writer import Tally

logger = logging.getLogger(__name__)
REQUESTER = "subcommittee"  # 推進部会 事務局: prepares the council's papers
FAILED_ERROR = "OSError: [Errno 28] No space left on device（作成ファイルの保存先が満杯でした）"


def seed_reports():
    office = Office.objects.get(code=OFFICE_CODE)
    requester = User.objects.get(username=REQUESTER)
    rendered = Tally("報告書（PDF）")
    versions = {}
    for kind in kinds():
        if kind.key.startswith("test_") or not kind.on_reports_page:
            continue
        try:
            params = _demo_params(kind, office)
        except ValueError as error:  # nothing to report on in the demo: leave it out
            logger.info("demo report %s skipped: %s", kind.key, error)
            continue
        # A kind of no office (the city-wide comparison) is asked for by the city planning
        # bureau and belongs to no office, as through the reports page.
        citywide = kind.office_of(params) is None
        job_office = None if citywide else office
        asked_by = User.objects.get(username=CITY_ACCOUNT.username) if citywide else requester
        job = (
            ReportJob.objects.filter(kind=kind.key, params=params, office=job_office)
            .filter(state=ReportJob.State.SUCCEEDED)
            .first()
        )
        if job is None:
            job = ReportJob.objects.create(
                kind=kind.key, params=params, requested_by=asked_by, office=job_office
            )
            job_event(job.pk, ReportJobEvent.Kind.REQUESTED, by=asked_by)
            # The worker's own task, run here (apply: in this process, whatever the broker).
            render_report.apply(args=[job.pk], throw=True)
            job.refresh_from_db()
            rendered.created += 1
        else:
            rendered.unchanged += 1
        versions[kind.key] = job.version
    failed = Tally("報告書（失敗した依頼）")
    _seed_failed(office, requester, failed)
    presented = Tally("会議に提示した報告書")
    _present(office, versions, presented)
    return [rendered, failed, presented]


def _demo_params(kind, office):
    """The kind's default parameters, except for the proposals report: the latest meeting that
    discussed proposals (the default, the next meeting, has none on its agenda in the demo)."""
    if kind.key == "proposals":
        item = (
            AgendaItem.objects.filter(meeting__office=office, subject=AgendaItem.Subject.PROPOSALS)
            .order_by("-meeting__held_on")
            .first()
        )
        if item is not None:
            return {"meeting": item.meeting_id}
    return kind.default_params(office)


def _seed_failed(office, requester, tally):
    """A failed request of the annual plan report, as a full disk would leave it."""
    plan_kind = next((k for k in kinds() if k.key == "annual_plan"), None)
    if plan_kind is None:
        return
    if ReportJob.objects.filter(office=office, error=FAILED_ERROR).exists():
        tally.unchanged += 1
        return
    with transaction.atomic():
        now = timezone.now()
        job = ReportJob.objects.create(
            kind=plan_kind.key,
            params=plan_kind.default_params(office),
            requested_by=requester,
            office=office,
            state=ReportJob.State.FAILED,
            started_at=now,
            finished_at=now,
            attempts=4,
            error=FAILED_ERROR,
        )
        job_event(job.pk, ReportJobEvent.Kind.REQUESTED, by=requester)
        for _ in range(3):
            job_event(job.pk, ReportJobEvent.Kind.RETRY, message=FAILED_ERROR)
        job_event(job.pk, ReportJobEvent.Kind.FAILED, message=FAILED_ERROR)
    tally.created += 1


def _present(office, versions, tally):
    """The year-end evaluation report on the pending "年度末評価について（報告）" item."""

    version = versions.get("evaluation")
    item = (
        AgendaItem.objects.filter(
            meeting__office=office,
            decision=AgendaItem.Decision.PENDING,
            title__contains="年度末評価",
        )
        .select_related("meeting", "plan")
        .first()
    )
    if version is None or item is None:
        return
    if item.report_version_id == version.pk:
        tally.unchanged += 1
        return
    try:
        agenda_item_present_report(
            item=item, by=User.objects.get(username=REQUESTER), report_version=version
        )
    except ValidationError as error:
        logger.warning("demo report not presented: %s", error)
        return
    tally.updated += 1
