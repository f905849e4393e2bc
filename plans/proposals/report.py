"""事業企画案と予算の概要 for one council meeting (区企画調整会議): cover, contents, the agenda
with each item's decision, the proposals put before the meeting (section 3 (2) of the
guideline: the subcommittee coordinates the sections' and working groups' proposals and
consolidates the budget, then asks the council), and the budget of the plans whose approval
or projects are on the agenda, by initiative area."""

from django import forms
from django.db.models import Count, Prefetch, Sum
from django.template.loader import render_to_string

from takatsu_portal.core.fiscal import FiscalYear, today, wareki
from takatsu_portal.core.models import InitiativeArea
from takatsu_portal.reports.kinds import Built, Param, ReportForm, ReportKind, register

from ..access import meetings_for
from ..models import AgendaItem, CouncilMeeting, Project, Proposal
from ..reporting import FACT_LABELS

KEY = "proposals"
TITLE = "事業企画案と予算の概要"
PLAN_SUBJECTS = (AgendaItem.Subject.PLAN, AgendaItem.Subject.PROJECTS)


def meeting_of(params):
    # The kind's form took the meeting from the requester's scope; the worker renders any.
    return (
        CouncilMeeting.objects.city_wide("report conditions")
        .select_related("office")
        .get(pk=params["meeting"])
    )


def next_meeting(office=None):
    """The next meeting on or after today (of `office`), else the latest one; ValueError when
    there is none."""
    if office is not None:
        qs = CouncilMeeting.objects.for_office(office)
    else:
        qs = CouncilMeeting.objects.city_wide("every office's, for the city")
    meeting = (
        qs.filter(held_on__gte=today()).order_by("held_on", "office__sort_order", "id").first()
        or qs.order_by("-held_on", "office__sort_order", "-id").first()
    )
    if meeting is None:
        raise ValueError("区企画調整会議がありません。--meeting で会議を指定してください。")
    return meeting


def budget_summary(plans):
    """For each plan, its projects by initiative area (every area, with zeros): count,
    requested and approved amounts, and the totals. One query for all the plans. The approved
    amount is None where the area has projects but none assessed yet (a dash, not 0 yen)."""
    areas_of = {}
    for area in InitiativeArea.objects.filter(office__in={plan.office_id for plan in plans}):
        areas_of.setdefault(area.office_id, []).append(area)
    sums = {
        (row["plan"], row["initiative_area"]): row
        for row in Project.objects.filter(plan__in=plans)
        .order_by()
        .values("plan", "initiative_area")
        .annotate(
            count=Count("pk"), requested=Sum("budget_requested"), approved=Sum("budget_approved")
        )
    }
    summaries = []
    for plan in plans:
        rows = []
        for area in areas_of.get(plan.office_id, []):
            row = sums.get((plan.pk, area.pk))
            rows.append(
                {
                    "area": area,
                    "count": row["count"] if row else 0,
                    "requested": row["requested"] if row else 0,
                    "approved": row["approved"] if row else 0,
                }
            )
        count = sum(row["count"] for row in rows)
        assessed = [row["approved"] for row in rows if row["count"] and row["approved"] is not None]
        summaries.append(
            {
                "plan": plan,
                "fiscal_year": FiscalYear(plan.fiscal_year),
                "rows": rows,
                "count": count,
                "requested": sum(row["requested"] for row in rows),
                # None (未査定) while no project of the plan has been assessed.
                "approved": sum(assessed) if assessed or not count else None,
                "unassessed": any(row["approved"] is None for row in rows),
            }
        )
    return summaries


def proposals_context(meeting):
    proposals = Proposal.objects.for_list().order_by(
        "initiative_area__number", "submitted_at", "id"
    )
    items = list(
        meeting.items.select_related("plan", "plan__office")
        .prefetch_related(Prefetch("proposals", queryset=proposals))
        .order_by("order", "id")
    )
    proposal_items = []
    distinct = {}
    for item in items:
        if item.subject != AgendaItem.Subject.PROPOSALS:
            continue
        listed = list(item.proposals.all())
        for proposal in listed:
            distinct[proposal.pk] = proposal
        proposal_items.append(
            {
                "item": item,
                "proposals": listed,
                "total": sum(p.budget_estimate for p in listed),
            }
        )
    plans, plan_items = [], {}
    for item in items:
        if item.subject in PLAN_SUBJECTS and item.plan is not None:
            if item.plan_id not in plan_items:
                plans.append(item.plan)
            plan_items.setdefault(item.plan_id, []).append(item)
    budgets = budget_summary(plans)
    for budget in budgets:
        budget["items"] = plan_items[budget["plan"].pk]
    fiscal_years = sorted(
        {plan.fiscal_year for plan in plans} | {p.plan.fiscal_year for p in distinct.values()}
    )
    return {
        "meeting": meeting,
        "office": meeting.office,
        "held_on": wareki(meeting.held_on, weekday=True),
        "made_on": wareki(today()),
        "items": items,
        "proposal_items": proposal_items,
        "proposal_count": len(distinct),
        "proposal_total": sum(p.budget_estimate for p in distinct.values()),
        "budgets": budgets,
        "fiscal_years": fiscal_years,
        "title": f"{meeting.title} {TITLE}",
    }


def build_proposals(params):
    meeting = meeting_of(params)
    context = proposals_context(meeting)
    facts = {"meeting": meeting.title}
    years = context["fiscal_years"]
    if years:
        facts["fiscal_year"] = years[0] if len(years) == 1 else years
    facts["proposals"] = context["proposal_count"]
    facts["budget_requested"] = context["proposal_total"]
    return Built(
        title=context["title"],
        html=render_to_string("plans/proposals/report.html", context),
        facts=facts,
    )


class ProposalsForm(ReportForm):
    meeting = forms.ModelChoiceField(
        queryset=CouncilMeeting.objects.none(), label="区企画調整会議", empty_label=None
    )

    def limit(self, user):
        field = self.fields["meeting"]
        field.queryset = meetings_for(user).order_by("-held_on", "-id")
        field.label_from_instance = lambda m: f"{wareki(m.held_on)} {m.title}"


register(
    ReportKind(
        key=KEY,
        fact_labels=FACT_LABELS,
        label=f"{TITLE}（区企画調整会議 用）",
        description=(
            "会議の議題と決定、審議する事業企画案（提案課・取組・基本方針・内容・概算額・状況）、"
            "議題の計画の取組別の予算（要求額・査定額）。"
        ),
        build=build_proposals,
        office_of=lambda params: meeting_of(params).office_id,
        form=ProposalsForm,
        default_params=lambda office=None: {"meeting": next_meeting(office).pk},
        params=(Param("meeting", "区企画調整会議のID（省略時は次回、なければ直近の会議）"),),
        order=20,
    )
)
