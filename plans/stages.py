"""Who may move an annual plan between the guideline's stages.

The plan moves forward one stage at a time; each forward move belongs to one role (the
subcommittee drafts, reports and requests the budget; the council approves). A plan can be
sent back one stage, with a reason, by the role that made the last move (to withdraw it) or,
where the plan waits for the council, by the council (to return it).
"""

from takatsu_portal.accounts.roles import Role

from .models import STAGES, Stage

ADVANCE_ROLE = {
    Stage.DRAFT: Role.SUBCOMMITTEE,  # 素案を区企画調整会議に報告する
    Stage.REPORTED: Role.COUNCIL,  # 計画を承認する
    Stage.PLAN_APPROVED: Role.SUBCOMMITTEE,  # 事業企画案をまとめる
    Stage.PROJECTS_DRAFTED: Role.COUNCIL,  # 事業を承認する
    Stage.PROJECTS_APPROVED: Role.SUBCOMMITTEE,  # 予算要求を行う
    Stage.BUDGET_REQUESTED: Role.SUBCOMMITTEE,  # 事業の実施に入る
    Stage.IN_PROGRESS: Role.SUBCOMMITTEE,  # 年度末評価を終える
}

# The button label of each forward move, from the stage it starts at.
ADVANCE_LABEL = {
    Stage.DRAFT: "区企画調整会議に報告する",
    Stage.REPORTED: "計画を承認する",
    Stage.PLAN_APPROVED: "事業企画案の作成を完了する",
    Stage.PROJECTS_DRAFTED: "事業を承認する",
    Stage.PROJECTS_APPROVED: "予算要求を行う",
    Stage.BUDGET_REQUESTED: "事業の実施を開始する",
    Stage.IN_PROGRESS: "年度末評価を完了する",
}

# Stages at which the council decides: there the council may also return the plan.
COUNCIL_DECIDES = {Stage.REPORTED, Stage.PROJECTS_DRAFTED}


def next_stage(stage):
    index = STAGES.index(Stage(stage))
    return STAGES[index + 1] if index + 1 < len(STAGES) else None


def previous_stage(stage):
    index = STAGES.index(Stage(stage))
    return STAGES[index - 1] if index > 0 else None


def advance_role(stage):
    """The role that moves a plan forward from `stage` (None at the last stage)."""
    return ADVANCE_ROLE.get(Stage(stage))


def send_back_roles(stage):
    """The roles that may send a plan at `stage` back one stage."""
    previous = previous_stage(stage)
    if previous is None:
        return frozenset()
    roles = {ADVANCE_ROLE[previous]}
    if Stage(stage) in COUNCIL_DECIDES:
        roles.add(Role.COUNCIL)
    return frozenset(roles)
