"""The council meeting's report (事業企画案と予算の概要): agenda, proposals and the budget of
the plans on the agenda, rendered from factory data; user text never makes WeasyPrint fetch;
the form offers only the user's office's meetings; a job through the service succeeds."""

import datetime
import re
import subprocess

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse

from plans.models import AgendaItem, Proposal
from plans.proposals.report import ProposalsForm, build_proposals, next_meeting
from takatsu_portal.core.fiscal import today
from takatsu_portal.reports.kinds import get_kind
from takatsu_portal.reports.models import ReportJob
from takatsu_portal.reports.rendering import make_fetcher, render_pdf, static_root
from takatsu_portal.reports.services import report_request
from tests.factories import OfficeFactory
from tests.plans.factories import (
    AgendaItemFactory,
    MeetingFactory,
    ProjectFactory,
    ProposalFactory,
)
from tests.plans.plan.test_report import pdf_text

pytestmark = pytest.mark.django_db

EVIL = '<img src="file:///etc/passwd"> 詳細は https://example.com/leak.png を参照'
Subject = AgendaItem.Subject


@pytest.fixture
def meeting(office):
    return MeetingFactory(
        office=office,
        title="令和8年度 第2回区企画調整会議",
        held_on=datetime.date(2026, 6, 26),
        place="高津区役所 5階第1会議室",
    )


@pytest.fixture
def agenda(meeting, plan, sections, group, people):
    """Item 1: the plan's projects (approved); item 2: two proposals, one with evil text."""
    ProjectFactory(plan=plan, budget_requested=2_000_000, budget_approved=1_800_000)
    ProjectFactory(plan=plan, budget_requested=700_000)
    AgendaItemFactory(
        meeting=meeting,
        order=1,
        title="令和8年度 事業の承認について",
        subject=Subject.PROJECTS,
        plan=plan,
        decision=AgendaItem.Decision.APPROVED,
        decision_comment="予算要求額を精査すること。",
    )
    one = ProposalFactory(
        plan=plan,
        title="窓口呼出システムの更新",
        section=sections.kumin,
        working_group=group,
        budget_estimate=1_234_000,
        proposer=people.lead,
    )
    two = ProposalFactory(
        plan=plan,
        title="庁舎案内の多言語化",
        section=sections.hoken,
        description=EVIL,
        budget_estimate=300_000,
        proposer=people.staff,
        status=Proposal.Status.ADOPTED,
    )
    item = AgendaItemFactory(
        meeting=meeting, order=2, title="事業企画案の審議について", subject=Subject.PROPOSALS
    )
    item.proposals.set([one, two])
    return item


def raw_text(path):
    """The PDF's text in drawing order (each table cell's text together), without spaces:
    long text that wraps in a narrow column stays in one piece."""
    args = ["pdftotext", "-raw", str(path), "-"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s", "", out)


def render_to(tmp_path, meeting):
    fetcher = make_fetcher()
    built = build_proposals({"meeting": meeting.pk})
    pdf, pages = render_pdf(built.title, built.html, fetcher=fetcher)
    path = tmp_path / "proposals.pdf"
    path.write_bytes(pdf)
    return path, pages, fetcher, built


def test_proposals_pdf_has_agenda_proposals_budget_and_embedded_cjk_font(
    tmp_path, meeting, agenda, office
):
    path, pages, _, built = render_to(tmp_path, meeting)
    text = pdf_text(path)
    for expected in [
        "事業企画案と予算の概要",
        "令和8年度 第2回区企画調整会議",
        "令和8年6月26日（金）",  # 開催日 in 和暦
        "目次",
        "1. 会議の議題",
        "2. 事業企画案",
        "3. 事業の予算の概要",
        "令和8年度 事業の承認について",
        "予算要求額を精査すること。",
        "窓口呼出システムの更新",
        "庁舎案内の多言語化",
        "窓口改善ワーキング",  # the proposing working group
        "保険年金課",  # the proposing section
        "(5) ",  # a policy, as "(number) title"
        "採択",
        "提出済み",
        office.name,
    ]:
        assert expected in text, expected
    assert "1,234,000" in text and "1,534,000" in text  # a proposal and the item's total
    assert "2,700,000" in text and "1,800,000" in text  # the plan's requested and approved
    assert re.search(rf"\b2 ?/ ?{pages}\b", text)  # page numbers n / N
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    cjk = [line for line in fonts.splitlines() if "Noto-Sans-CJK-JP" in line]
    assert cjk and all(" yes " in line for line in cjk)  # embedded, not a fallback
    assert built.title == "令和8年度 第2回区企画調整会議 事業企画案と予算の概要"


def test_facts_name_the_meeting_year_and_proposals_total(meeting, agenda):
    built = build_proposals({"meeting": meeting.pk})
    assert built.facts == {
        "meeting": "令和8年度 第2回区企画調整会議",
        "fiscal_year": 2026,
        "proposals": 2,
        "budget_requested": 1_534_000,
    }


def test_a_proposal_on_two_items_counts_once(meeting, agenda):
    again = AgendaItemFactory(meeting=meeting, order=3, title="継続審議", subject=Subject.PROPOSALS)
    again.proposals.set(agenda.proposals.all()[:1])
    facts = build_proposals({"meeting": meeting.pk}).facts
    assert facts["proposals"] == 2 and facts["budget_requested"] == 1_534_000


def test_a_meeting_without_proposals_or_plans_says_so(tmp_path, meeting):
    AgendaItemFactory(meeting=meeting, title="その他の報告", subject=Subject.OTHER)
    path, _, _, built = render_to(tmp_path, meeting)
    text = pdf_text(path)
    assert "この会議には事業企画案の議題がありません。" in text
    assert "この会議には計画・事業の承認の議題がありません。" in text
    assert built.facts == {"meeting": meeting.title, "proposals": 0, "budget_requested": 0}


def test_budget_not_yet_assessed_shows_a_dash_not_zero(meeting, plan):
    ProjectFactory(plan=plan, budget_requested=900_000)
    AgendaItemFactory(meeting=meeting, subject=Subject.PLAN, plan=plan)
    html = re.sub(r"\s+", " ", build_proposals({"meeting": meeting.pk}).html)
    assert "予算査定額の合計: 未査定" in html
    assert '<td class="num">900,000</td> <td class="num"> — </td>' in html


def test_user_text_with_img_and_url_renders_as_text_and_fetches_nothing(tmp_path, meeting, agenda):
    path, _, fetcher, built = render_to(tmp_path, meeting)
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in built.html
    assert '<img src="file:///etc/passwd">' not in built.html
    text = raw_text(path)
    assert '<imgsrc="file:///etc/passwd">' in text and "https://example.com/leak.png" in text
    assert fetcher.calls == [(static_root() / "css" / "print.css").as_uri()]


def test_build_runs_a_fixed_number_of_queries(
    meeting, plan, sections, django_assert_max_num_queries
):
    """Items, their proposals (with section, group, area, plan...), policies, areas, budget
    sums: the same count for 2 proposals as for 30, and for 2 projects as for 30."""
    item = AgendaItemFactory(meeting=meeting, order=1, subject=Subject.PROPOSALS)
    AgendaItemFactory(meeting=meeting, order=2, subject=Subject.PROJECTS, plan=plan)
    item.proposals.set(ProposalFactory.create_batch(2, plan=plan, section=sections.kumin))
    ProjectFactory.create_batch(2, plan=plan)
    with django_assert_max_num_queries(6):
        small = build_proposals({"meeting": meeting.pk})
    item.proposals.add(*ProposalFactory.create_batch(28, plan=plan, section=sections.hoken))
    ProjectFactory.create_batch(28, plan=plan)
    with django_assert_max_num_queries(6):
        large = build_proposals({"meeting": meeting.pk})
    assert small.facts["proposals"] == 2 and large.facts["proposals"] == 30


def test_many_proposals_break_across_pages_with_repeated_header(tmp_path, meeting, plan, sections):
    item = AgendaItemFactory(meeting=meeting, order=1, subject=Subject.PROPOSALS)
    item.proposals.set(
        [
            ProposalFactory(
                plan=plan,
                section=sections.kumin,
                title=f"長い事業企画案{n:02d}",
                description="来庁者の待ち時間を減らすための取組。" * 8,
            )
            for n in range(30)
        ]
    )
    path, pages, *_ = render_to(tmp_path, meeting)
    page_texts = pdf_text(path).split("\f")
    assert "事業企画案と予算の概要（令和8年度 第2回区企画調整会議）" in page_texts[1]
    with_header = [t for t in page_texts if "事業名（案）" in t]
    assert len(with_header) >= 2  # the overview table broke across pages, its header repeated
    assert "長い事業企画案29" in "".join(page_texts)


def test_a_description_longer_than_a_page_is_printed_whole(tmp_path, meeting, plan, sections):
    item = AgendaItemFactory(meeting=meeting, order=1, subject=Subject.PROPOSALS)
    item.proposals.set(
        [
            ProposalFactory(
                plan=plan,
                section=sections.kumin,
                title="長い説明の企画案",
                description="来庁者の待ち時間を減らす。" * 300 + "説明の終わり。",
            )
        ]
    )
    path, pages, *_ = render_to(tmp_path, meeting)
    assert "説明の終わり。" in raw_text(path)
    assert pages >= 7  # cover, contents, agenda, overview, the description over 2+ pages, budget


# ---------------------------------------------------------------------------------------------
# The command and the default meeting


def test_render_report_command_with_a_meeting_and_with_no_option(tmp_path, office, agenda):
    out = tmp_path / "cli.pdf"
    call_command(
        "render_report", "proposals", "--meeting", str(agenda.meeting.pk), "--output", str(out)
    )
    assert "窓口呼出システムの更新" in pdf_text(out)
    upcoming = MeetingFactory(
        office=office, title="第3回区企画調整会議", held_on=today() + datetime.timedelta(days=30)
    )
    MeetingFactory(office=office, title="第4回", held_on=today() + datetime.timedelta(days=90))
    out2 = tmp_path / "cli2.pdf"
    call_command("render_report", "proposals", "--output", str(out2))
    assert upcoming.title in pdf_text(out2)


def test_render_report_command_without_meetings_fails_in_japanese(tmp_path, db):
    with pytest.raises(CommandError, match="区企画調整会議がありません"):
        call_command("render_report", "proposals", "--output", str(tmp_path / "x.pdf"))


def test_render_report_refuses_a_plan_option_for_proposals(tmp_path, meeting, plan):
    with pytest.raises(CommandError, match="--plan"):
        call_command(
            "render_report", "proposals", "--plan", str(plan.pk), "--output", str(tmp_path / "x")
        )


def test_default_meeting_is_the_next_one_else_the_latest(office):
    MeetingFactory(office=office, held_on=today() - datetime.timedelta(days=60))
    latest = MeetingFactory(office=office, held_on=today() - datetime.timedelta(days=5))
    assert next_meeting() == latest
    todays = MeetingFactory(office=office, held_on=today())
    MeetingFactory(office=office, held_on=today() + datetime.timedelta(days=20))
    assert next_meeting() == todays
    assert get_kind("proposals").default_params() == {"meeting": todays.pk}


def test_default_meeting_of_an_office_is_that_offices(office, stranger):
    MeetingFactory(office=office, held_on=today() + datetime.timedelta(days=3))
    theirs = MeetingFactory(office=stranger.office, held_on=today() + datetime.timedelta(days=9))
    assert next_meeting(stranger.office) == theirs
    with pytest.raises(ValueError, match="区企画調整会議がありません"):
        next_meeting(OfficeFactory(code="saiwai", name="幸区役所"))


# ---------------------------------------------------------------------------------------------
# The form, the request and the job


def test_form_offers_only_the_users_office_meetings(people, stranger, meeting):
    theirs = MeetingFactory(office=stranger.office, title="宮前区の会議")
    form = ProposalsForm(user=people.subcommittee)
    assert list(form.fields["meeting"].queryset) == [meeting]
    assert "令和8年6月26日 令和8年度 第2回区企画調整会議" in str(form["meeting"])
    bound = ProposalsForm({"meeting": theirs.pk}, user=people.subcommittee)
    assert not bound.is_valid() and "meeting" in bound.errors
    mine = ProposalsForm({"meeting": meeting.pk}, user=people.subcommittee)
    assert mine.is_valid() and mine.params() == {"meeting": meeting.pk}


def test_subcommittee_requests_the_report_through_the_page(
    client, people, meeting, agenda, django_capture_on_commit_callbacks
):
    client.force_login(people.subcommittee)
    page = client.get(reverse("reports:index")).content.decode()
    assert "事業企画案と予算の概要（区企画調整会議 用）" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:request", args=["proposals"]), {"proposals-meeting": meeting.pk}
        )
    assert response.status_code == 302
    job = ReportJob.objects.get()
    assert job.params == {"meeting": meeting.pk} and job.office == meeting.office
    assert job.state == ReportJob.State.SUCCEEDED


def test_stranger_may_not_request_the_report_of_another_offices_meeting(client, stranger, meeting):
    client.force_login(stranger)
    response = client.post(
        reverse("reports:request", args=["proposals"]), {"proposals-meeting": meeting.pk}
    )
    assert response.status_code == 400
    assert not ReportJob.objects.exists()


def test_job_through_the_service_succeeds_with_the_facts(
    people, meeting, agenda, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = report_request(
            kind="proposals", params={"meeting": meeting.pk}, by=people.subcommittee
        )
    job.refresh_from_db()
    assert job.state == ReportJob.State.SUCCEEDED
    version = job.version
    assert version.page_count >= 4
    assert version.snapshot["facts"] == {
        "meeting": "令和8年度 第2回区企画調整会議",
        "fiscal_year": 2026,
        "proposals": 2,
        "budget_requested": 1_534_000,
    }
    assert version.title == "令和8年度 第2回区企画調整会議 事業企画案と予算の概要"


def test_staff_may_not_request_the_report(people, meeting):
    with pytest.raises(PermissionDenied):
        report_request(kind="proposals", params={"meeting": meeting.pk}, by=people.staff)
    assert not ReportJob.objects.exists()


def test_kind_is_registered_with_its_permissions_and_order():
    kind = get_kind("proposals")
    assert kind.permission == "portal.view_reports"
    assert kind.request_permission == "portal.request_reports"
    assert kind.order == 20 and kind.description
    assert [p.name for p in kind.params] == ["meeting"]
