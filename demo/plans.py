"""The plans app's part of `manage.py seed_demo`: a year of 高津区役所's improvement plan.

`seed_plans(sections)` builds, for the current fiscal year and the one before it:

- last year's plan, closed after the year-end evaluation, with eight projects (some finished,
  some carried over, one stopped), and this year's plan at 事業実施中 with 22 projects drawn
  from the guideline's initiatives, four of them carried over from last year;
- the Service Promotion Team's working groups, an issue-study group set up this year and one
  dissolved last year;
- project proposals in every state (adopted into the plan, returned, rejected, waiting);
- the council meetings of both years (the two approvals of each plan, last year's year-end
  report) and this year's meeting still to come, with the plans' stage decisions;
- individual improvements, most acknowledged by their section's manager, some waiting;
- the notifications those steps sent to the demo users;
- `seed_progress`: the plan's quarterly reporting periods and the progress reports of the
  quarters that have ended, in every state (with the reminders and notifications they caused),
  and last year's year-end evaluations.

Dates follow the guideline's calendar (plan by the end of April, project approval in June)
within `FiscalYear.current()`, so the demo keeps its shape in later years. Rows are found by
their natural keys and written as `demo.writer.upsert` does: a missing row is created, an
existing one is saved only when a demo field differs, nothing is deleted, and a second run
writes nothing. A new row gets the history it would have had if people had made it through
the portal: who did each step, when, and why.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from plans.evaluation import services as evaluation_services
from plans.models import (
    STAGES,
    AgendaItem,
    AnnualPlan,
    CouncilMeeting,
    Improvement,
    Indicator,
    IndicatorValue,
    Milestone,
    PlanDecision,
    ProgressReport,
    Project,
    Proposal,
    Reminder,
    ReportingFrequency,
    ReportingPeriod,
    Stage,
    WorkingGroup,
    YearEndEvaluation,
)
from plans.plan.services import default_plan_title
from plans.progress import services as progress_services
from takatsu_portal.accounts.models import Office, User
from takatsu_portal.accounts.roles import Role, assign_role, roles_of
from takatsu_portal.core.calendar import is_closed, previous_working_day, working_days_before
from takatsu_portal.core.fiscal import FiscalYear, today
from takatsu_portal.core.models import InitiativeArea, Notification, Policy

from .data import accounts as demo_data
from .data.plans import (
    ADOPTED,
    CHAIR,
    COMPLETED,
    COUNCIL,
    CURRENT_PROJECTS,
    DONE,
    EVALUATIONS,
    GROUPS,
    IMPROVEMENTS,
    IN_PROGRESS,
    LAST_YEAR_PROJECTS,
    LATE,
    OK_,
    PLANNED,
    PROGRESS,
    PROPOSALS,
    REVIEW_COMMENT,
    RISK,
    SECRETARY,
    STATUS_ACT,
    STATUS_CHECK,
    SUBMITTED,
    VICE_MAYOR,
    WITHDRAWN,
    ItemSeed,
)
from .writer import CHANGE_REASON, Step, Tally, at, on, put, workday


def code_prefix(fy):
    """令和8年度 → "R8-" (令和元年度 → "R1-")."""
    match = re.match(r"(令和|平成)(元|\d+)年度", fy.era_label)
    era, year = match.groups()
    return f"{'R' if era == '令和' else 'H'}{1 if year == '元' else int(year)}-"


# ---------------------------------------------------------------------------------------------
# The seed


@dataclass
class _Context:
    office: Office
    sections: dict
    people: dict
    policies: dict
    areas: dict
    fy: FiscalYear
    tallies: dict = field(default_factory=dict)
    groups: dict = field(default_factory=dict)

    def tally(self, label):
        return self.tallies.setdefault(label, Tally(label))

    def person(self, username):
        return self.people[username]

    @property
    def last_fy(self):
        return self.fy.previous()


def seed_plans(sections):
    """The plans app's demo data (see the module docstring); returns tallies."""
    fy = FiscalYear.current()
    office = Office.objects.get(code=demo_data.OFFICE_CODE)
    ctx = _Context(
        office=office,
        sections=sections,
        people=User.objects.in_bulk(
            [person.username for person in demo_data.PEOPLE], field_name="username"
        ),
        policies={row.number: row for row in Policy.objects.for_office(office)},
        areas={row.number: row for row in InitiativeArea.objects.for_office(office)},
        fy=fy,
    )
    for label in ("ワーキンググループ", "計画", "事業", "スケジュール", "指標", "事業企画案"):
        ctx.tally(label)  # printed in this order
    _seed_groups(ctx)
    last_plan = _seed_plan(ctx, ctx.last_fy, previous=None)
    last_projects = _seed_projects(ctx, last_plan, LAST_YEAR_PROJECTS, carried={})
    plan = _seed_plan(ctx, fy, previous=last_plan)
    adopted = {seed.project: seed for seed in PROPOSALS if seed.project is not None}
    projects = _seed_projects(ctx, plan, CURRENT_PROJECTS, carried=last_projects, adopted=adopted)
    proposals = _seed_proposals(ctx, plan, projects)
    meetings = _seed_meetings(ctx, last_plan, plan, proposals)
    _seed_decisions(ctx, last_plan, meetings["last"], closed=True)
    _seed_decisions(ctx, plan, meetings["current"], closed=False)
    _seed_improvements(ctx)
    _seed_notifications(ctx, proposals)
    seed_progress(ctx, last_plan, plan, projects, last_projects)
    return list(ctx.tallies.values())


def _seed_groups(ctx):
    tally = ctx.tally("ワーキンググループ")
    chair = ctx.person(CHAIR)
    for seed in GROUPS:
        lead = ctx.person(seed.lead)
        if Role.WG_LEAD not in roles_of(lead):
            assign_role(lead, Role.WG_LEAD)
        fy = FiscalYear(ctx.fy.year + seed.established[0])
        established = on(fy, *seed.established[1:])
        dissolved = None
        steps = [
            Step(at(established, 9), chair, "ワーキンググループを設置", {"dissolved_on": None})
        ]
        if seed.dissolved:
            dissolved = on(FiscalYear(ctx.fy.year + seed.dissolved[0]), *seed.dissolved[1:])
            steps.append(Step(at(dissolved, 17), chair, "課題の解決により解散"))
        ctx.groups[seed.key] = put(
            WorkingGroup,
            lookup={"office": ctx.office, "name": seed.name},
            values={
                "kind": seed.kind,
                "purpose": seed.purpose,
                "lead": lead,
                "established_on": established,
                "dissolved_on": dissolved,
            },
            m2m={"members": [ctx.person(username) for username in seed.members]},
            steps=steps,
            tally=tally,
        )


def _plan_moves(fy, *, closed):
    """The plan's stage moves in order: (stage reached, when, username, comment). A comment of
    None is a council approval, whose comment is the meeting's decision."""
    era = fy.era_label
    moves = [
        (
            Stage.REPORTED,
            at(on(fy, 4, 15), 17),
            CHAIR,
            "推進部会で素案を確認した。第1回区企画調整会議に報告する。",
        ),
        (Stage.PLAN_APPROVED, at(on(fy, 4, 24), 16), COUNCIL, None),
        (
            Stage.PROJECTS_DRAFTED,
            at(on(fy, 5, 29), 17),
            SECRETARY,
            "各課・各ワーキングの事業企画案を審査し、採択した事業と前年度から継続する事業を合わせて"
            "事業企画案をまとめた。第2回区企画調整会議に諮る。",
        ),
        (Stage.PROJECTS_APPROVED, at(on(fy, 6, 19), 16), COUNCIL, None),
        (
            Stage.BUDGET_REQUESTED,
            at(on(fy, 6, 26), 17),
            CHAIR,
            "区企画調整会議の承認（条件を含む）を確認のうえ、各事業の予算要求を行った。",
        ),
        (
            Stage.IN_PROGRESS,
            at(on(fy, 6, 30), 17),
            SECRETARY,
            f"予算の配分を受け、{era}の各事業の実施に入る。進行管理は推進部会が毎月行う。",
        ),
    ]
    if closed:
        moves.append(
            (
                Stage.CLOSED,
                at(on(fy, 3, 24), 17),
                CHAIR,
                "年度末評価を行った。8事業のうち3事業が完了、4事業は次年度の計画に継続し、窓口手数料の"
                "キャッシュレス決済の試行は全市の導入方針を受けて中止とした。",
            )
        )
    return moves


# The plan's first version is the draft; the second, a week later, the revised draft; each
# stage move then adds one.
DRAFT_VERSIONS = 2


def _seed_plan(ctx, fy, *, previous):
    secretary = ctx.person(SECRETARY)
    if previous is None:
        summary = (
            "「区役所サービス5つの基本方針」に基づき、窓口の待ち時間の短縮と案内サインの改修を重点"
            "に取り組む。",
            "転入転出の繁忙期に混雑する証明書交付窓口については、課題検討ワーキングを設置して対策"
            "を講じる。",
        )
    else:
        summary = (
            "前年度から継続する待ち時間表示の改善と案内サインの改修に加え、庁舎の耐震対策・大規模"
            "修繕の工事期間中も来庁者が迷わないよう、仮設窓口の案内に重点的に取り組む。",
            "子育て関連手続きのワンストップ化を課題検討ワーキングで検討し、各課を横断した手続きの"
            "効率化を進める。職員向け情報紙「たかつ通信」の発行と研修の充実により、職員一人ひとりの"
            "対応力を高める。",
        )
    moves = _plan_moves(fy, closed=previous is None)
    steps = [
        Step(
            at(on(fy, 4, 2), 9),
            secretary,
            "計画を作成",
            {"stage": Stage.DRAFT, "summary": summary[0]},
        ),
        Step(at(on(fy, 4, 10), 15), secretary, "素案を修正", {"stage": Stage.DRAFT}),
    ]
    for stage, when, username, _comment in moves:
        before = STAGES[STAGES.index(stage) - 1]
        steps.append(
            Step(when, ctx.person(username), f"{before.label} → {stage.label}", {"stage": stage})
        )
    return put(
        AnnualPlan,
        lookup={"office": ctx.office, "fiscal_year": fy.year},
        values={
            "title": default_plan_title(ctx.office, fy.year),
            "summary": "".join(summary),
            "stage": moves[-1][0],
            "previous_plan": previous,
        },
        stamps={"created_at": steps[0].at},
        steps=steps,
        tally=ctx.tally("計画"),
    )


def _manager_of(section_name):
    for person in demo_data.PEOPLE:
        if person.section == section_name and Role.SECTION_MANAGER in person.roles:
            return person.username
    raise LookupError(section_name)


def _seed_projects(ctx, plan, seeds, *, carried, adopted=None):
    """The plan's projects with their milestones and indicators; returns {code: project}."""
    fy = plan.fy
    prefix, carried_prefix = code_prefix(fy), code_prefix(fy.previous())
    secretary = ctx.person(SECRETARY)
    adopted = adopted or {}
    result = {}
    for seed in seeds:
        group = ctx.groups.get(seed.group)
        previous = (
            carried[f"{carried_prefix}{seed.carried_from:02d}"] if seed.carried_from else None
        )
        code = previous.code if previous else f"{prefix}{seed.number:02d}"
        proposal = adopted.get(seed.number) if previous is None else None
        # As proposed, before the budget: planned, nothing approved yet.
        proposed = {"status": PLANNED, "budget_approved": None}
        if previous is not None:
            first = Step(
                at(on(fy, 4, 2), 9, 5), secretary, f"{plan.previous_plan}から継続", proposed
            )
        elif proposal is not None:
            first = Step(
                at(on(fy, *proposal.decided), 15),
                ctx.person(proposal.decided_by),
                f"事業企画案「{proposal.title}」を採択",
                proposed,
            )
        else:
            first = Step(
                at(on(fy, 5, 27), 14), group.lead if group else secretary, "事業を登録", proposed
            )
        steps = [
            first,
            Step(
                at(on(fy, 7, 1), 9),
                secretary,
                "予算の配分を反映" + ("し実施を開始" if seed.status != PLANNED else ""),
                {"status": PLANNED if seed.status == PLANNED else IN_PROGRESS},
            ),
        ]
        if seed.finished:
            steps.append(
                Step(
                    at(on(fy, *seed.finished), 16),
                    group.lead if group else ctx.person(_manager_of(seed.section)),
                    "事業の完了" if seed.status == COMPLETED else "事業の中止",
                )
            )
        project = put(
            Project,
            lookup={"plan": plan, "code": code},
            values={
                "title": seed.title,
                "description": seed.description,
                "initiative_area": ctx.areas[seed.area],
                "section": ctx.sections[seed.section],
                "working_group": group,
                "budget_requested": seed.requested,
                "budget_approved": seed.approved,
                "status": seed.status,
                "carried_over_from": previous,
            },
            m2m={"policies": [ctx.policies[number] for number in seed.policies]},
            steps=steps,
            tally=ctx.tally("事業"),
        )
        result[code] = project
        for title, (month, day), done in seed.milestones:
            due = on(fy, month, day)
            put(
                Milestone,
                lookup={"project": project, "title": title},
                values={
                    "due_on": due,
                    "done_on": workday(due - timedelta(days=2)) if done else None,
                },
                steps=[Step(first.at, first.by)],
                tally=ctx.tally("スケジュール"),
            )
        for name, unit, baseline, target, direction in seed.indicators:
            put(
                Indicator,
                lookup={"project": project, "name": name},
                values={
                    "unit": unit,
                    "baseline": baseline,
                    "target": target,
                    "direction": direction,
                },
                steps=[Step(first.at, first.by)],
                tally=ctx.tally("指標"),
            )
    return result


def _seed_proposals(ctx, plan, projects):
    """This year's proposals; returns {title: proposal}."""
    fy = plan.fy
    prefix = code_prefix(fy)
    by_number = {seed.number: seed for seed in CURRENT_PROJECTS if seed.number}
    result = {}
    for seed in PROPOSALS:
        project = projects[f"{prefix}{seed.project:02d}"] if seed.project else None
        source = by_number[seed.project] if seed.project else seed
        description = source.description
        submitted = at(on(fy, *seed.submitted), 9, 30)
        decided = at(on(fy, *seed.decided), 15) if seed.decided else None
        steps = [
            Step(
                submitted,
                ctx.person(seed.proposer),
                "提出",
                {
                    "status": SUBMITTED,
                    "decision_comment": "",
                    "decided_by": None,
                    "decided_at": None,
                    "project": None,
                },
            )
        ]
        withdrawn = seed.status == WITHDRAWN
        if decided:
            steps.append(
                Step(
                    decided,
                    ctx.person(seed.proposer if withdrawn else seed.decided_by),
                    Proposal.Status(seed.status).label,
                )
            )
        result[seed.title] = put(
            Proposal,
            lookup={"plan": plan, "title": seed.title},
            values={
                "description": description,
                "initiative_area": ctx.areas[source.area],
                "section": ctx.sections[seed.section],
                "working_group": ctx.groups.get(seed.group),
                "budget_estimate": source.requested if seed.project else seed.estimate,
                "proposer": ctx.person(seed.proposer),
                "status": seed.status,
                "decision_comment": seed.comment,
                "decided_by": ctx.person(seed.decided_by) if seed.decided_by else None,
                "decided_at": None if withdrawn else decided,
                "project": project,
            },
            m2m={"policies": [ctx.policies[number] for number in source.policies]},
            stamps={"submitted_at": submitted},
            steps=steps,
            tally=ctx.tally("事業企画案"),
        )
    return result


def _meetings(ctx):
    """(fiscal year key, meeting number, (month, day), [items]) of both years."""
    this, last, next_ = ctx.fy.era_label, ctx.last_fy.era_label, ctx.fy.next().era_label
    approved = AgendaItem.Decision.APPROVED
    pending = AgendaItem.Decision.PENDING
    plan_item = DRAFT_VERSIONS + 1  # the version reported to the council
    projects_item = DRAFT_VERSIONS + 3  # the version with the projects drafted
    return [
        (
            "last",
            1,
            (4, 25),
            [
                ItemSeed(
                    f"{last} 区役所サービス向上計画（素案）について",
                    AgendaItem.Subject.PLAN,
                    "last",
                    plan_item,
                    approved,
                    "原案どおり承認する。",
                )
            ],
        ),
        (
            "last",
            2,
            (6, 20),
            [
                ItemSeed(
                    f"{last} 区役所サービス向上計画の事業（案）について",
                    AgendaItem.Subject.PROJECTS,
                    "last",
                    projects_item,
                    approved,
                    "原案どおり承認する。",
                )
            ],
        ),
        (
            "last",
            3,
            (2, 20),
            [
                ItemSeed(
                    f"{last} 区役所サービス向上計画の実施状況について（報告）",
                    AgendaItem.Subject.OTHER,
                    "last",
                    None,
                    approved,
                    "報告を了承した。継続する4事業は次年度の計画に引き継ぐこと。",
                    VICE_MAYOR,
                )
            ],
        ),
        (
            "current",
            1,
            (4, 24),
            [
                ItemSeed(
                    f"{this} 区役所サービス向上計画（素案）について",
                    AgendaItem.Subject.PLAN,
                    "current",
                    plan_item,
                    approved,
                    "原案どおり承認する。",
                ),
                ItemSeed(
                    f"{last} 区役所サービス向上計画の年度末評価について（報告）",
                    AgendaItem.Subject.OTHER,
                    "last",
                    None,
                    approved,
                    "報告を了承した。",
                    VICE_MAYOR,
                ),
            ],
        ),
        (
            "current",
            2,
            (6, 19),
            [
                ItemSeed(
                    f"{this} 区役所サービス向上計画の事業（案）について",
                    AgendaItem.Subject.PROJECTS,
                    "current",
                    projects_item,
                    AgendaItem.Decision.CONDITIONAL,
                    "照明のLED化は、全市の公共施設の省エネルギー計画と整合させ、更新の範囲と費用を"
                    "所管局と確認したうえで予算要求すること。",
                ),
                ItemSeed(
                    "推進部会が採択した事業企画案について",
                    AgendaItem.Subject.PROPOSALS,
                    None,
                    None,
                    approved,
                    "推進部会の採択どおり了承する。",
                    VICE_MAYOR,
                    proposals=True,
                ),
            ],
        ),
        (
            "current",
            3,
            (2, 19),
            [
                ItemSeed(
                    f"{this} 区役所サービス向上計画の年度末評価について（報告）",
                    AgendaItem.Subject.OTHER,
                    "current",
                    None,
                    pending,
                ),
                ItemSeed(
                    f"{next_} 区役所サービス向上計画の策定方針について",
                    AgendaItem.Subject.OTHER,
                    None,
                    None,
                    pending,
                ),
            ],
        ),
    ]


def _seed_meetings(ctx, last_plan, plan, proposals):
    """The council's meetings of both years; returns {"last"|"current": {number: [items]}}."""
    plans = {"last": last_plan, "current": plan}
    years = {"last": ctx.last_fy, "current": ctx.fy}
    secretary = ctx.person(SECRETARY)
    adopted = [p for p in proposals.values() if p.status == ADOPTED]
    result = {"last": {}, "current": {}}
    for year, number, (month, day), items in _meetings(ctx):
        fy = years[year]
        held = on(fy, month, day)
        meeting = put(
            CouncilMeeting,
            lookup={"office": ctx.office, "title": f"{fy.era_label} 第{number}回区企画調整会議"},
            values={
                "held_on": held,
                "place": "高津区役所 5階 第1会議室",
                "notes": "出席：区長、副区長、まちづくり推進部長、区民サービス部長（推進部会長）、"
                "地域みまもり支援センター所長。事務局：企画課（推進部会 事務局）。",
            },
            steps=[Step(at(workday(held - timedelta(days=14)), 10), secretary, "会議を登録")],
            tally=ctx.tally("区企画調整会議"),
        )
        result[year][number] = []
        for order, seed in enumerate(items, start=1):
            decided = seed.decision != AgendaItem.Decision.PENDING
            decided_at = at(held, 16) if decided else None
            registered = Step(
                at(workday(held - timedelta(days=7)), 10),
                secretary,
                "議題を登録",
                {
                    "decision": AgendaItem.Decision.PENDING,
                    "decision_comment": "",
                    "decided_by": None,
                    "decided_at": None,
                },
            )
            steps = [registered]
            if decided:
                steps.append(Step(decided_at, ctx.person(seed.decided_by), "決定を記録"))
            result[year][number].append(
                put(
                    AgendaItem,
                    lookup={"meeting": meeting, "order": order},
                    values={
                        "title": seed.title,
                        "subject": seed.subject,
                        "plan": plans[seed.plan] if seed.plan else None,
                        "presented_version": seed.presented,
                        "decision": seed.decision,
                        "decision_comment": seed.comment,
                        "decided_by": ctx.person(seed.decided_by) if decided else None,
                        "decided_at": decided_at,
                    },
                    m2m={"proposals": adopted if seed.proposals else []},
                    steps=steps,
                    tally=ctx.tally("議題"),
                )
            )
    return result


def _seed_decisions(ctx, plan, meetings, *, closed):
    """A PlanDecision for every stage move of the plan, the approvals with their agenda item."""
    approvals = {Stage.PLAN_APPROVED: meetings[1][0], Stage.PROJECTS_APPROVED: meetings[2][0]}
    moves = _plan_moves(plan.fy, closed=closed)
    for number, (stage, when, username, comment) in enumerate(moves, start=1):
        item = approvals.get(stage)
        if item is not None:
            comment = f"{item.meeting.title}：{item.get_decision_display()}" + (
                f"（{item.decision_comment}）" if item.decision_comment else ""
            )
        put(
            PlanDecision,
            lookup={
                "plan": plan,
                "from_stage": STAGES[STAGES.index(stage) - 1],
                "to_stage": stage,
                "kind": PlanDecision.Kind.ADVANCE,
            },
            values={
                "comment": comment,
                "decided_by": ctx.person(username),
                "plan_version": DRAFT_VERSIONS + number,
                "agenda_item": item,
            },
            stamps={"decided_at": when},
            steps=[Step(when, ctx.person(username))],
            tally=ctx.tally("計画の決定"),
        )


def _seed_improvements(ctx):
    tally = ctx.tally("個別業務の改善")
    sections = {person.username: person.section for person in demo_data.PEOPLE}
    for seed in IMPROVEMENTS:
        author = ctx.person(seed.author)
        section = sections[seed.author]
        recorded = on(ctx.fy, *seed.recorded)
        steps = [
            Step(
                at(recorded, 17),
                author,
                "",
                {
                    "acknowledged_by": None,
                    "acknowledged_at": None,
                    "manager_comment": "",
                    "is_good_practice": False,
                },
            )
        ]
        manager = acknowledged = None
        if seed.acknowledged:
            manager = ctx.person(_manager_of(section))
            acknowledged = at(on(ctx.fy, *seed.acknowledged), 11)
            steps.append(Step(acknowledged, manager, "課長確認"))
        put(
            Improvement,
            lookup={"author": author, "title": seed.title},
            values={
                "section": ctx.sections[section],
                "problem": seed.problem,
                "change": seed.change,
                "effect": seed.effect,
                "related_goal": seed.goal,
                "recorded_on": recorded,
                "acknowledged_by": manager,
                "acknowledged_at": acknowledged,
                "manager_comment": seed.comment,
                "is_good_practice": seed.good_practice,
            },
            m2m={"policies": [ctx.policies[number] for number in seed.policies]},
            steps=steps,
            tally=tally,
        )


def _seed_notifications(ctx, proposals):
    """What the proposal steps told people: the proposer of each decision (read the next day,
    except the demo staff member's, still unread) and the subcommittee of each waiting
    proposal (unread)."""
    tally = ctx.tally("お知らせ")
    subcommittee = [
        ctx.person(person.username)
        for person in demo_data.PEOPLE
        if Role.SUBCOMMITTEE in person.roles
    ]

    def send(recipient, message, url, when, read):
        put(
            Notification,
            lookup={"recipient": recipient, "message": message},
            values={"url": url, "read_at": when + timedelta(days=1) if read else None},
            stamps={"created_at": when},
            steps=[Step(when, None)],
            tally=tally,
        )

    for proposal in proposals.values():
        url = proposal.get_absolute_url()
        if proposal.status == SUBMITTED:
            for member in subcommittee:
                if member != proposal.proposer:
                    send(
                        member,
                        f"事業企画案「{proposal.title}」が提出されました",
                        url,
                        proposal.submitted_at,
                        read=False,
                    )
        elif proposal.status == WITHDRAWN:
            continue  # the proposer took it back: nobody decided, nobody is told
        else:
            send(
                proposal.proposer,
                f"事業企画案「{proposal.title}」は「{proposal.get_status_display()}」となりました",
                url,
                proposal.decided_at,
                read=proposal.proposer.username != "staff",
            )


# ---------------------------------------------------------------------------------------------
# Progress (進行管理): half a year of quarterly reports, and last year's year-end evaluation


def _progress_key(seed):
    return ("carried", seed.carried_from) if seed.carried_from else seed.number


def _working_day_after(day):
    while is_closed(day):
        day += timedelta(days=1)
    return day


def _figure(value):
    """A whole number as 12, a fraction as 12.5 (no trailing zeros)."""
    value = Decimal(value)
    return f"{value:.0f}" if value == value.to_integral() else f"{value.normalize():f}"


def _actual(indicator, seed, index):
    """How far the indicator got by the end of quarter `index`: the share of the way from its
    baseline to its target that the progress suggests, less when the project is behind, and
    never back below an earlier quarter's."""
    factor = {OK_: Decimal("0.9"), RISK: Decimal("0.75"), LATE: Decimal("0.5"), DONE: 1}
    share = max(
        Decimal(seed.percents[n]) / 100 * factor[seed.statuses[n]] for n in range(index + 1)
    )
    value = indicator.baseline + (indicator.target - indicator.baseline) * share
    return value.quantize(Decimal("1"))


def _milestone_text(milestones):
    return "、".join(f"「{m.title}」" for m in milestones)


def _report_texts(project, period, next_period, seed, index, actuals):
    """The P/D/C/A of one quarter's report, from the project's milestones and indicators."""
    status, percent = seed.statuses[index], seed.percents[index]
    milestones = list(project.milestones.all())
    due_now = [m for m in milestones if period.starts_on <= m.due_on <= period.ends_on]
    due_next = (
        [m for m in milestones if next_period.starts_on <= m.due_on <= next_period.ends_on]
        if next_period
        else []
    )
    upcoming = next((m for m in milestones if m.due_on > period.ends_on), None)
    indicators = [indicator for indicator, _ in actuals] or list(
        project.indicators.filter(source_key="")
    )

    if due_now:
        plan_text = f"{period.label}は、{_milestone_text(due_now)}を予定どおり進める。"
    elif upcoming is not None and index > 0:
        plan_text = f"{period.label}は、前期に続き「{upcoming.title}」に向けた準備を進める。"
    else:
        plan_text = f"{period.label}は、{project.title}の進め方を関係課と調整する。"
    if indicators:
        indicator = indicators[0]
        plan_text += (
            f"指標「{indicator.name}」は、基準値{_figure(indicator.baseline)}{indicator.unit}から"
            f"目標値{_figure(indicator.target)}{indicator.unit}を目指す。"
        )

    done = [m for m in due_now if m.done_on and m.done_on <= period.ends_on]
    pending = [m for m in due_now if m not in done]
    do_parts = [f"「{m.title}」を{m.done_on.month}月{m.done_on.day}日に終えた。" for m in done]
    do_parts += [
        f"「{m.title}」は{m.due_on.month}月{m.due_on.day}日の予定に対して作業を続けている。"
        for m in pending
    ]
    if not do_parts:
        goal = f"「{upcoming.title}」に向けて、" if upcoming is not None else ""
        do_parts.append(
            f"{goal}{project.section}とワーキングのメンバーで打合せを重ね、作業の段取りを決めた。"
        )
    do_text = "".join(do_parts) + f"進捗率は{percent}%である。"

    check_parts = []
    for indicator, actual in actuals:
        share = evaluation_services.achievement(indicator, actual) or Decimal(0)
        figure = f"「{indicator.name}」は{_figure(actual)}{indicator.unit}"
        if share <= 0:
            check_parts.append(f"{figure}で、まだ基準値から変わっていない。")
        else:
            check_parts.append(f"{figure}となり、目標に対する達成率は{share:.0f}%である。")
    check_text = "".join(check_parts) + STATUS_CHECK[status]

    if status == DONE:
        act_text = STATUS_ACT[DONE]
    elif due_next:
        act_text = f"次期は{_milestone_text(due_next)}に取り組む。" + STATUS_ACT[status]
    else:
        name = f"「{indicators[0].name}」" if indicators else "効果"
        act_text = f"次期も取組を続け、{name}の推移を確かめる。" + STATUS_ACT[status]
    return {
        "plan_text": plan_text,
        "do_text": do_text,
        "check_text": check_text,
        "act_text": act_text,
    }


def seed_progress(ctx, last_plan, plan, projects, last_projects):
    """The current plan's quarterly periods and the reports of the quarters that have ended
    (at least two), in every state; reminders for the reports still missing; last year's
    year-end evaluations."""
    for label in ("報告期間", "進捗報告", "指標の実績値", "督促", "年度末評価"):
        ctx.tally(label)
    periods = _seed_periods(ctx, plan)
    day = today()
    ended = [p for p in periods if p.ends_on < day]
    reported = ended if len(ended) >= 2 else periods[:2]
    seeds = {_progress_key(seed): seed for seed in CURRENT_PROJECTS}
    by_key = {}
    for seed in CURRENT_PROJECTS:
        prefix = code_prefix(plan.fy.previous() if seed.carried_from else plan.fy)
        code = f"{prefix}{(seed.carried_from or seed.number):02d}"
        by_key[_progress_key(seed)] = projects[code]
    latest_reports = []
    for key, progress_seed in PROGRESS.items():
        project = by_key[key]
        finished = on(plan.fy, *seeds[key].finished) if seeds[key].finished else None
        latest_reports += _seed_reports(
            ctx, project, periods, reported, progress_seed, finished=finished
        )
    _seed_reminders(ctx, plan)
    _seed_report_notifications(ctx, latest_reports)
    _seed_evaluations(ctx, last_plan, last_projects)


def _seed_periods(ctx, plan):
    if (plan.reporting_frequency, plan.report_due_days) != (ReportingFrequency.QUARTERLY, 10):
        plan.reporting_frequency, plan.report_due_days = ReportingFrequency.QUARTERLY, 10
        plan.version += 1
        plan._change_reason = CHANGE_REASON
        plan.save(update_fields=["reporting_frequency", "report_due_days", "version"])
    secretary = ctx.person(SECRETARY)
    return [
        put(
            ReportingPeriod,
            lookup={"plan": plan, "number": spec.number},
            values={
                "label": spec.label,
                "starts_on": spec.starts_on,
                "ends_on": spec.ends_on,
                "due_on": spec.due_on,
            },
            steps=[Step(at(on(plan.fy, 6, 30), 17), secretary)],
            tally=ctx.tally("報告期間"),
        )
        for spec in progress_services.period_specs(
            plan.fiscal_year, ReportingFrequency.QUARTERLY, 10
        )
    ]


def _seed_reports(ctx, project, periods, reported, seed, *, finished):
    """One project's reports; returns [(report, state)] of its latest one (for notifications)."""
    lead = project.working_group.lead
    latest = reported[-1]
    limit = at(today() - timedelta(days=1), 18)  # nothing happens after yesterday evening
    missing = set()
    if seed.latest == "missing":
        missing.add(latest.pk)
        if latest.due_on >= today() and len(reported) > 1:
            missing.add(reported[-2].pk)  # so that one report is overdue whatever the day
    indicators = list(project.indicators.filter(source_key=""))  # the others: from records
    chair, secretary = ctx.person(CHAIR), ctx.person(SECRETARY)
    result = []
    for index, period in enumerate(reported):
        if period.pk in missing or (finished and period.starts_on > finished):
            continue
        state = {
            "accepted": ProgressReport.State.ACCEPTED,
            "submitted": ProgressReport.State.SUBMITTED,
            "changes": ProgressReport.State.CHANGES_REQUESTED,
            "draft": ProgressReport.State.DRAFT,
        }[seed.latest if period == latest else "accepted"]
        status = seed.statuses[index]
        actuals = [
            (indicator, _actual(indicator, seed, index))
            for indicator in indicators
            if not (period == latest and indicator.name == seed.unreported)
        ]
        next_period = periods[period.number] if period.number < len(periods) else None
        texts = _report_texts(project, period, next_period, seed, index, actuals)
        spread = project.pk % 3
        started = at(previous_working_day(period.ends_on + timedelta(days=2 + spread)), 10)
        submitted = at(working_days_before(period.due_on, 1 + spread), 16)
        reviewer = chair if project.pk % 2 else secretary
        reviewed = at(_working_day_after(period.due_on + timedelta(days=4 + spread)), 15)
        started, submitted, reviewed = (
            min(when, limit + timedelta(minutes=n))
            for n, when in enumerate((started, submitted, reviewed))
        )
        blank_review = {"reviewed_by": None, "reviewed_at": None, "review_comment": ""}
        steps = [
            Step(
                started,
                lead,
                "作成",
                {"state": ProgressReport.State.DRAFT, "submitted_at": None, **blank_review},
            )
        ]
        values = {
            **texts,
            "progress_percent": seed.percents[index],
            "status": status,
            "state": state,
            "author": lead,
            "submitted_at": None,
            **blank_review,
        }
        if state != ProgressReport.State.DRAFT:
            values["submitted_at"] = submitted
            steps.append(
                Step(
                    submitted,
                    lead,
                    "提出",
                    {"state": ProgressReport.State.SUBMITTED, **blank_review},
                )
            )
        if state in (ProgressReport.State.ACCEPTED, ProgressReport.State.CHANGES_REQUESTED):
            name = indicators[0].name if indicators else project.title
            comment = (
                seed.comment
                if state == ProgressReport.State.CHANGES_REQUESTED
                else REVIEW_COMMENT[status].format(indicator=name)
            )
            values.update(reviewed_by=reviewer, reviewed_at=reviewed, review_comment=comment)
            steps.append(Step(reviewed, reviewer, ProgressReport.State(state).label))
        report = put(
            ProgressReport,
            lookup={"project": project, "period": period},
            values=values,
            steps=steps,
            tally=ctx.tally("進捗報告"),
        )
        for indicator, actual in actuals:
            put(
                IndicatorValue,
                lookup={"report": report, "indicator": indicator},
                values={"actual": actual, "source": IndicatorValue.Source.MANUAL},
                steps=[Step(started, lead)],
                tally=ctx.tally("指標の実績値"),
            )
        if period == latest:
            result.append(report)
    return result


def _seed_reminders(ctx, plan):
    """The reminders the daily task would have sent for the reports still to be filed, so that
    it does not send them all again on its first run. A report sent back was filed until the
    subcommittee's request: its reminder went out the morning after."""
    sent_back = {
        (project_id, period_id): reviewed_at
        for project_id, period_id, reviewed_at in ProgressReport.objects.filter(
            period__plan=plan, state=ProgressReport.State.CHANGES_REQUESTED
        ).values_list("project_id", "period_id", "reviewed_at")
    }
    for project, period, lead, kind in progress_services.reports_due(today=today()):
        if period.plan_id != plan.pk:
            continue
        if kind == Reminder.Kind.OVERDUE:
            sent = at(period.due_on + timedelta(days=1), 8)
        else:
            sent = at(working_days_before(period.due_on, settings.PROGRESS_REMINDER_DAYS), 8)
        if (project.pk, period.pk) in sent_back:
            request = timezone.localdate(sent_back[project.pk, period.pk])
            sent = max(sent, at(request + timedelta(days=1), 8))
        sent = min(sent, at(today() - timedelta(days=1), 18))
        put(
            Reminder,
            lookup={"project": project, "period": period, "kind": kind, "recipient": lead},
            values={},
            stamps={"sent_at": sent},
            steps=[Step(sent, None)],
            tally=ctx.tally("督促"),
        )
        put(
            Notification,
            lookup={
                "recipient": lead,
                "message": progress_services.reminder_message(project, period, kind),
            },
            values={
                "url": reverse("plans:report_start", args=[project.pk, period.pk]),
                "read_at": None,
            },
            stamps={"created_at": sent},
            steps=[Step(sent, None)],
            tally=ctx.tally("お知らせ"),
        )


def _seed_report_notifications(ctx, reports):
    """What the latest round told people: the subcommittee of each report waiting for review,
    the lead of each report sent back (both unread), and of each report accepted (read)."""
    subcommittee = [
        ctx.person(person.username)
        for person in demo_data.PEOPLE
        if Role.SUBCOMMITTEE in person.roles
    ]
    State = ProgressReport.State
    for report in reports:
        project, period = report.project, report.period
        sends = []
        if report.state == State.SUBMITTED:
            message = f"{project.code}「{project.title}」の{period}の進捗報告が提出されました"
            sends = [(m, message, report.submitted_at, False) for m in subcommittee]
        elif report.state in (State.ACCEPTED, State.CHANGES_REQUESTED):
            message = (
                f"{project.code}の{period}の進捗報告は「{report.get_state_display()}」となりました"
            )
            read = report.state == State.ACCEPTED
            sends = [(report.author, message, report.reviewed_at, read)]
        for recipient, message, when, read in sends:
            if recipient == report.author and report.state == State.SUBMITTED:
                continue
            put(
                Notification,
                lookup={"recipient": recipient, "message": message},
                values={
                    "url": report.get_absolute_url(),
                    "read_at": when + timedelta(days=1) if read else None,
                },
                stamps={"created_at": when},
                steps=[Step(when, None)],
                tally=ctx.tally("お知らせ"),
            )


def _seed_evaluations(ctx, last_plan, last_projects):
    chair = ctx.person(CHAIR)
    when = at(on(last_plan.fy, 3, 17), 15)
    for code, project in last_projects.items():
        grade, decision, reason = EVALUATIONS[int(code.rsplit("-", 1)[1])]
        put(
            YearEndEvaluation,
            lookup={"project": project},
            values={
                "grade": grade,
                "decision": decision,
                "reason": reason,
                "evaluated_by": chair,
            },
            stamps={"evaluated_at": when},
            steps=[Step(when, chair, "年度末評価")],
            tally=ctx.tally("年度末評価"),
        )


# ---------------------------------------------------------------------------------------------
# Indicators measured by the training records (after the training demo)

# The 接遇研修 project of this year's plan counts the people of the office who completed a
# course of the 接遇・窓口対応 category in each period, as the training app measures it.
TRAINING_INDICATOR = {
    "project": "接遇研修・やさしい日本語研修",
    "name": "接遇研修の修了者数",
    "unit": "人",
    "baseline": Decimal(10),
    "target": Decimal(40),
    "source_key": "training_category_participants",
    "source_ref": "service",
}


def seed_indicator_sources(sections):
    """The 接遇研修 project's indicator that takes its actual values from the training records
    (through the floor's indicator registry), and those values in its progress reports, as the
    reports' saving would have filled them. Runs after the training demo."""
    tally = Tally("指標（研修の記録から）")
    values = Tally("指標の実績値（研修の記録から）")
    office = Office.objects.get(code=demo_data.OFFICE_CODE)
    project = (
        Project.objects.filter(
            plan__office=office,
            plan__fiscal_year=FiscalYear.current().year,
            title=TRAINING_INDICATOR["project"],
        )
        .select_related("plan", "section", "working_group__lead")
        .first()
    )
    if project is None:
        return [tally]
    first = project.history.order_by("history_date").first()
    by = project.working_group.lead if project.working_group else None
    indicator = put(
        Indicator,
        lookup={"project": project, "name": TRAINING_INDICATOR["name"]},
        values={
            key: TRAINING_INDICATOR[key]
            for key in ("unit", "baseline", "target", "source_key", "source_ref")
        }
        | {"direction": Indicator.Direction.INCREASE},
        steps=[Step(first.history_date if first else timezone.now(), by)],
        tally=tally,
    )
    for report in project.progress_reports.select_related("period", "author"):
        before = IndicatorValue.objects.filter(report=report, indicator=indicator).first()
        progress_services.fill_source_values(report, by=report.author)
        after = IndicatorValue.objects.filter(report=report, indicator=indicator).first()
        if after is None:
            continue
        if before is None:
            values.created += 1
        elif before.actual != after.actual:
            values.updated += 1
        else:
            values.unchanged += 1
    return [tally, values]
