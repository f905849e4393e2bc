"""The annual improvement plan (区役所サービス向上計画) and everything it is made of.

Section 3 of the guideline as data: a plan per office and fiscal year moves through fixed
stages; its projects (事業) come from proposals (事業企画案) of sections and working groups;
the ward council (区企画調整会議) approves the plan and the projects at its meetings; staff
record individual improvements (個別業務の改善) beside it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from takatsu_portal.core import indicators as indicator_sources
from takatsu_portal.core.fiscal import FiscalYear
from takatsu_portal.core.scoping import OfficeScopedQuerySet
from takatsu_portal.core.versioning import Versioned

# ---------------------------------------------------------------------------------------------
# Working groups


class WorkingGroupQuerySet(OfficeScopedQuerySet):
    office_path = "office"

    def active(self):
        return self.filter(dissolved_on__isnull=True)


class WorkingGroup(Versioned):
    """A working group of the Service Promotion Team, or an issue-study working group
    (課題検討ワーキング) set up for one problem and dissolved when it is solved."""

    class Kind(models.TextChoices):
        PROJECT = "project", "事業ワーキング"
        ISSUE_STUDY = "issue_study", "課題検討ワーキング"

    office = models.ForeignKey(
        "accounts.Office", verbose_name="区役所", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("種別", max_length=20, choices=Kind.choices, default=Kind.PROJECT)
    purpose = models.TextField("目的", blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="リーダー",
        on_delete=models.PROTECT,
        related_name="led_working_groups",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name="メンバー",
        blank=True,
        related_name="working_groups",
    )
    established_on = models.DateField("設置日")
    dissolved_on = models.DateField("解散日", null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[members])

    objects = WorkingGroupQuerySet.as_manager()

    class Meta:
        verbose_name = "ワーキンググループ"
        verbose_name_plural = "ワーキンググループ"
        ordering = ["dissolved_on", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="working_group_unique_name"),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(dissolved_on__gte=models.F("established_on")),
                name="working_group_dissolved_after_established",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("plans:working_group_detail", args=[self.pk])

    @property
    def is_active(self):
        return self.dissolved_on is None


# ---------------------------------------------------------------------------------------------
# Annual plan


class Stage(models.TextChoices):
    """The guideline's steps, in order (section 3 (3) スケジュール)."""

    DRAFT = "draft", "素案作成"
    REPORTED = "reported", "区企画調整会議へ報告"
    PLAN_APPROVED = "plan_approved", "計画承認"
    PROJECTS_DRAFTED = "projects_drafted", "事業企画案作成"
    PROJECTS_APPROVED = "projects_approved", "事業承認"
    BUDGET_REQUESTED = "budget_requested", "予算要求"
    IN_PROGRESS = "in_progress", "事業実施中"
    CLOSED = "closed", "年度末評価完了"


STAGES = list(Stage)

# The stages in which projects report their progress: from the projects' approval until the
# year-end evaluation.
REPORTING_STAGES = frozenset({Stage.PROJECTS_APPROVED, Stage.BUDGET_REQUESTED, Stage.IN_PROGRESS})


def default_starts_on(plan):
    """The start date of a project added to `plan` now: today once the plan's progress is
    reported (the project owes no report for the periods that ended before it existed,
    #10.7); None (the whole year) before that. Saving one project and importing many both
    use it."""
    from takatsu_portal.core.fiscal import today

    return today() if Stage(plan.stage) in REPORTING_STAGES else None


class ReportingFrequency(models.TextChoices):
    MONTHLY = "monthly", "毎月"
    QUARTERLY = "quarterly", "四半期ごと"


class AnnualPlanQuerySet(OfficeScopedQuerySet):
    office_path = "office"

    def with_counts(self):
        return self.annotate(project_count=models.Count("projects", distinct=True))


class AnnualPlan(Versioned):
    """One office's improvement plan for one fiscal year."""

    office = models.ForeignKey(
        "accounts.Office", verbose_name="区役所", on_delete=models.PROTECT, related_name="plans"
    )
    fiscal_year = models.PositiveSmallIntegerField("年度", validators=[MinValueValidator(2000)])
    title = models.CharField("計画名", max_length=200)
    summary = models.TextField("計画の概要", blank=True)
    stage = models.CharField("段階", max_length=30, choices=Stage.choices, default=Stage.DRAFT)
    previous_plan = models.ForeignKey(
        "self",
        verbose_name="前年度の計画",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_plans",
    )
    created_at = models.DateTimeField("作成日時", auto_now_add=True)
    reporting_frequency = models.CharField(
        "進捗報告の頻度", max_length=20, choices=ReportingFrequency.choices, default="quarterly"
    )
    report_due_days = models.PositiveSmallIntegerField(
        "報告の期限（期間の終了から何日後）",
        default=10,
        validators=[MaxValueValidator(60)],
        help_text="期限が土日・祝日・年末年始にあたるときは、その前の開庁日が期限になります。",
    )
    history = HistoricalRecords()

    objects = AnnualPlanQuerySet.as_manager()

    class Meta:
        verbose_name = "区役所サービス向上計画"
        verbose_name_plural = "区役所サービス向上計画"
        ordering = ["-fiscal_year", "office__sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["office", "fiscal_year"], name="plan_one_per_year")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:plan_detail", args=[self.pk])

    @property
    def fy(self):
        return FiscalYear(self.fiscal_year)

    @property
    def stage_index(self):
        return STAGES.index(Stage(self.stage))

    @property
    def due_date(self):
        """The guideline: the plan is made at the start of the fiscal year, by the end of
        April (4月末を目途); each office may set its own deadline (Office.plan_due_month/day)."""
        return self.office.plan_due_date(self.fiscal_year)

    def days_to_due(self, today):
        """Days left until the plan's deadline (negative when overdue); None once the plan is
        past the draft and report steps, when the deadline no longer applies."""
        if self.stage_index >= STAGES.index(Stage.PLAN_APPROVED):
            return None
        return (self.due_date - today).days

    @property
    def is_approved(self):
        return self.stage_index >= STAGES.index(Stage.PLAN_APPROVED)

    def can_be_deleted(self):
        """An approved plan is a record of the council's decision: never deleted."""
        return not self.is_approved and not self.projects.filter(Project.with_progress_q()).exists()


class PlanDecisionQuerySet(OfficeScopedQuerySet):
    office_path = "plan__office"


class PlanDecision(models.Model):
    """A move of a plan from one stage to another: who, when, why, on which version."""

    class Kind(models.TextChoices):
        ADVANCE = "advance", "承認・進行"
        SEND_BACK = "send_back", "差し戻し"

    plan = models.ForeignKey(
        AnnualPlan, verbose_name="計画", on_delete=models.CASCADE, related_name="decisions"
    )
    kind = models.CharField("種別", max_length=20, choices=Kind.choices)
    from_stage = models.CharField("変更前の段階", max_length=30, choices=Stage.choices)
    to_stage = models.CharField("変更後の段階", max_length=30, choices=Stage.choices)
    comment = models.TextField("コメント")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="決定者", on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("決定日時", auto_now_add=True)
    plan_version = models.PositiveIntegerField("計画の版")
    agenda_item = models.ForeignKey(
        "AgendaItem",
        verbose_name="会議の議題",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_decisions",
    )

    objects = PlanDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = "計画の決定"
        verbose_name_plural = "計画の決定"
        ordering = ["-decided_at", "-id"]

    def __str__(self):
        return f"{self.plan}: {self.get_from_stage_display()} → {self.get_to_stage_display()}"


# ---------------------------------------------------------------------------------------------
# Projects


class ProjectQuerySet(OfficeScopedQuerySet):
    def for_plan(self, plan):
        return self.filter(plan=plan)

    def for_office(self, office):
        return self.filter(plan__office=office)

    def for_list(self):
        """Everything a list row shows, in a fixed number of queries."""
        return self.select_related(
            "plan", "initiative_area", "section", "section__department", "working_group"
        ).prefetch_related("policies")


class Project(Versioned):
    """A unit of work of a plan (事業), with its budget, milestones and indicators."""

    class Status(models.TextChoices):
        PLANNED = "planned", "計画中"
        IN_PROGRESS = "in_progress", "実施中"
        COMPLETED = "completed", "完了"
        SUSPENDED = "suspended", "中止"

    plan = models.ForeignKey(
        AnnualPlan, verbose_name="計画", on_delete=models.PROTECT, related_name="projects"
    )
    code = models.CharField(
        "事業コード",
        max_length=20,
        help_text="計画の中で一意の記号（例：R8-01）。CSV・Excelの取込みで事業を特定します。",
    )
    title = models.CharField("事業名", max_length=200)
    description = models.TextField("事業の内容", blank=True)
    policies = models.ManyToManyField(
        "core.Policy", verbose_name="基本方針", related_name="projects"
    )
    initiative_area = models.ForeignKey(
        "core.InitiativeArea",
        verbose_name="具体的な取組",
        on_delete=models.PROTECT,
        related_name="projects",
    )
    section = models.ForeignKey(
        "accounts.Section", verbose_name="所管課", on_delete=models.PROTECT, related_name="projects"
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name="ワーキンググループ",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    budget_requested = models.PositiveBigIntegerField("予算要求額（円）", default=0)
    budget_approved = models.PositiveBigIntegerField("予算査定額（円）", null=True, blank=True)
    status = models.CharField("状況", max_length=20, choices=Status.choices, default=Status.PLANNED)
    # A project begun mid-year owes no progress report for the periods that ended before it
    # (#10.7): empty means "from the start of the fiscal year".
    starts_on = models.DateField(
        "開始日",
        null=True,
        blank=True,
        help_text="年度の途中から始める事業の開始日です。この日より前に終わった報告期間の"
        "進捗報告は求めません。空欄は年度の初めから。",
    )
    carried_over_from = models.ForeignKey(
        "self",
        verbose_name="前年度の事業",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_over_to",
    )
    history = HistoricalRecords(m2m_fields=[policies])

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = "事業"
        verbose_name_plural = "事業"
        ordering = ["plan", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="project_code_unique_in_plan")
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def get_absolute_url(self):
        return reverse("plans:project_detail", args=[self.pk])

    @staticmethod
    def with_progress_q():
        """Projects that have progress: under way or done, or with a submitted report."""
        return Q(status__in=[Project.Status.IN_PROGRESS, Project.Status.COMPLETED]) | Q(
            progress_reports__state__in=[
                ProgressReport.State.SUBMITTED,
                ProgressReport.State.CHANGES_REQUESTED,
                ProgressReport.State.ACCEPTED,
            ]
        )

    def owes_report_for(self, period):
        """Whether a progress report is due from this project for `period`: it existed (or
        started, by its schedule) before the period ended."""
        return self.starts_on is None or self.starts_on <= period.ends_on

    def has_progress(self):
        return type(self)._base_manager.filter(pk=self.pk).filter(self.with_progress_q()).exists()

    def can_be_deleted(self):
        """A project of an approved plan, or one with progress, is part of the record."""
        return not self.plan.is_approved and not self.has_progress()

    def carries_over(self):
        """Whether "start next year" takes this project into the next plan: the year-end
        evaluation's decision (continue or change) when there is one; otherwise everything
        that is not finished or stopped."""
        evaluation = getattr(self, "evaluation", None)
        if evaluation is not None:
            return evaluation.decision != YearEndEvaluation.Decision.FINISH
        return self.status not in (self.Status.COMPLETED, self.Status.SUSPENDED)


class MilestoneQuerySet(OfficeScopedQuerySet):
    office_path = "project__plan__office"


class Milestone(models.Model):
    project = models.ForeignKey(
        Project, verbose_name="事業", on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField("内容", max_length=200)
    due_on = models.DateField("予定日")
    done_on = models.DateField("完了日", null=True, blank=True)
    history = HistoricalRecords()

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = "スケジュール"
        verbose_name_plural = "スケジュール"
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.title


class IndicatorQuerySet(OfficeScopedQuerySet):
    office_path = "project__plan__office"


class Indicator(models.Model):
    class Direction(models.TextChoices):
        INCREASE = "increase", "増やす"
        DECREASE = "decrease", "減らす"
        MAINTAIN = "maintain", "維持する"

    project = models.ForeignKey(
        Project, verbose_name="事業", on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField("指標名", max_length=200)
    unit = models.CharField("単位", max_length=30)
    baseline = models.DecimalField("基準値", max_digits=14, decimal_places=2)
    target = models.DecimalField("目標値", max_digits=14, decimal_places=2)
    direction = models.CharField(
        "目指す方向", max_length=20, choices=Direction.choices, default=Direction.INCREASE
    )
    # Where the actual value comes from, when another app measures it: the key of a source
    # registered with the floor (takatsu_portal.core.indicators) and the row it names there
    # (a question id, a course id, a category key), as text; both empty: typed in each report.
    source_key = models.CharField("実績値の取得元", max_length=60, blank=True, default="")
    source_ref = models.CharField("取得元の対象", max_length=100, blank=True, default="")
    history = HistoricalRecords()

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = "指標"
        verbose_name_plural = "指標"
        ordering = ["id"]

    def __str__(self):
        return f"{self.name}（{self.unit}）"

    @property
    def source(self):
        """The registered source that measures this indicator, or None (typed in reports, or
        the app that measured it is not installed)."""
        return indicator_sources.get(self.source_key) if self.source_key else None

    def clean(self):
        if self.baseline is None or self.target is None:
            return
        if self.direction == self.Direction.INCREASE and self.target <= self.baseline:
            raise ValidationError(
                {"target": "「増やす」指標の目標値は基準値より大きくしてください。"}
            )
        if self.direction == self.Direction.DECREASE and self.target >= self.baseline:
            raise ValidationError(
                {"target": "「減らす」指標の目標値は基準値より小さくしてください。"}
            )


# ---------------------------------------------------------------------------------------------
# Proposals


class ProposalQuerySet(OfficeScopedQuerySet):
    office_path = "plan__office"

    def for_list(self):
        return self.select_related(
            "plan", "section", "working_group", "proposer", "initiative_area", "project"
        ).prefetch_related("policies")

    def open(self):
        return self.filter(status__in=[Proposal.Status.SUBMITTED, Proposal.Status.RETURNED])


class Proposal(Versioned):
    """A project proposal (事業企画案) from a section or working group, with a budget
    estimate; the subcommittee adopts it into the plan, returns it, or rejects it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "提出済み"
        RETURNED = "returned", "差し戻し"
        ADOPTED = "adopted", "採択"
        REJECTED = "rejected", "不採択"
        WITHDRAWN = "withdrawn", "取り下げ"

    plan = models.ForeignKey(
        AnnualPlan, verbose_name="計画", on_delete=models.PROTECT, related_name="proposals"
    )
    title = models.CharField("事業名（案）", max_length=200)
    description = models.TextField("内容")
    policies = models.ManyToManyField("core.Policy", verbose_name="基本方針", related_name="+")
    initiative_area = models.ForeignKey(
        "core.InitiativeArea",
        verbose_name="具体的な取組",
        on_delete=models.PROTECT,
        related_name="+",
    )
    section = models.ForeignKey(
        "accounts.Section",
        verbose_name="提案課",
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        verbose_name="提案ワーキンググループ",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposals",
    )
    budget_estimate = models.PositiveBigIntegerField("概算額（円）", default=0)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提案者",
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    submitted_at = models.DateTimeField("提出日時", auto_now_add=True)
    status = models.CharField(
        "状況", max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    decision_comment = models.TextField("部会のコメント", blank=True)
    withdrawal_reason = models.TextField(
        "取り下げの理由", blank=True, help_text="提案者が取り下げたときに書いた理由。"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="判断者",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("判断日時", null=True, blank=True)
    project = models.OneToOneField(
        Project,
        verbose_name="採択後の事業",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
    )
    source_practice = models.ForeignKey(
        "Improvement",
        verbose_name="取り込み元の優良事例",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copied_proposals",
        help_text="他区の優良事例から取り込んだ提案のとき、その事例。",
    )
    source_note = models.CharField(
        "取り込み元",
        max_length=300,
        blank=True,
        help_text="取り込んだときの区役所・課・事例の名前（事例が取り下げられても残ります）。",
    )
    history = HistoricalRecords(m2m_fields=[policies])

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = "事業企画案"
        verbose_name_plural = "事業企画案"
        ordering = ["-submitted_at", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:proposal_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.status in (self.Status.SUBMITTED, self.Status.RETURNED)


# ---------------------------------------------------------------------------------------------
# Individual improvements


class ImprovementQuerySet(OfficeScopedQuerySet):
    office_path = "section__department__office"

    def for_list(self):
        return self.select_related("author", "section", "section__department", "acknowledged_by")

    def good_practices(self):
        return self.filter(is_good_practice=True, acknowledged_at__isnull=False)

    def shared_citywide(self):
        """The good practices their ward's subcommittee shares with every ward of the city
        (「他区の優良事例」): never an improvement the ward keeps to itself."""
        return self.good_practices().filter(shared_citywide_at__isnull=False)

    def for_citywide_list(self):
        """What the city-wide list and page show: the ward, the section's name, the policies
        (no person: another ward's staff are not named outside their ward)."""
        return self.select_related("section__department__office").prefetch_related("policies")


class Improvement(Versioned):
    """An individual improvement of one's own work (個別業務の改善), tied to the section's
    goals; the section manager acknowledges it and may mark it as a good practice to share."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="記録者",
        on_delete=models.PROTECT,
        related_name="improvements",
    )
    section = models.ForeignKey(
        "accounts.Section", verbose_name="課", on_delete=models.PROTECT, related_name="improvements"
    )
    title = models.CharField("件名", max_length=200)
    problem = models.TextField("課題（改善前の状況）")
    change = models.TextField("改善の内容")
    effect = models.TextField("効果")
    related_goal = models.CharField("関連する課の目標", max_length=200, blank=True)
    policies = models.ManyToManyField(
        "core.Policy", verbose_name="関連する基本方針", blank=True, related_name="+"
    )
    recorded_on = models.DateField("実施日")
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="確認者",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField("確認日時", null=True, blank=True)
    manager_comment = models.TextField("課長のコメント", blank=True)
    is_good_practice = models.BooleanField("優良事例として共有", default=False)
    shared_citywide_at = models.DateTimeField(
        "全市への共有日時",
        null=True,
        blank=True,
        help_text="推進部会が他区にも共有した日時。取り下げると空欄に戻ります。",
    )
    shared_citywide_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="全市に共有した人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(m2m_fields=[policies])

    objects = ImprovementQuerySet.as_manager()

    class Meta:
        verbose_name = "個別業務の改善"
        verbose_name_plural = "個別業務の改善"
        ordering = ["-recorded_on", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:improvement_detail", args=[self.pk])

    @property
    def is_acknowledged(self):
        return self.acknowledged_at is not None

    @property
    def is_shared_citywide(self):
        return self.shared_citywide_at is not None

    @property
    def office(self):
        return self.section.department.office


# ---------------------------------------------------------------------------------------------
# Council


class CouncilMeetingQuerySet(OfficeScopedQuerySet):
    office_path = "office"


class CouncilMeeting(models.Model):
    """A meeting of the ward planning coordination council (区企画調整会議)."""

    office = models.ForeignKey(
        "accounts.Office", verbose_name="区役所", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("会議名", max_length=200)
    held_on = models.DateField("開催日")
    place = models.CharField("場所", max_length=200, blank=True)
    notes = models.TextField("備考", blank=True)
    history = HistoricalRecords()

    objects = CouncilMeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "区企画調整会議"
        verbose_name_plural = "区企画調整会議"
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:meeting_detail", args=[self.pk])


class AgendaItemQuerySet(OfficeScopedQuerySet):
    office_path = "meeting__office"


class AgendaItem(models.Model):
    """One item on a council meeting's agenda: the plan (for its approval, or its projects'),
    or a set of proposals; with the council's decision and the version it decided on."""

    class Subject(models.TextChoices):
        PLAN = "plan", "計画の承認"
        PROJECTS = "projects", "事業の承認"
        PROPOSALS = "proposals", "事業企画案の審議"
        OTHER = "other", "その他"

    class Decision(models.TextChoices):
        PENDING = "pending", "未決定"
        APPROVED = "approved", "承認"
        CONDITIONAL = "conditional", "条件付き承認"
        RETURNED = "returned", "差し戻し"

    meeting = models.ForeignKey(
        CouncilMeeting, verbose_name="会議", on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField("順番", default=1)
    title = models.CharField("議題", max_length=200)
    subject = models.CharField("対象", max_length=20, choices=Subject.choices)
    plan = models.ForeignKey(
        AnnualPlan,
        verbose_name="計画",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    proposals = models.ManyToManyField(
        Proposal, verbose_name="事業企画案", blank=True, related_name="agenda_items"
    )
    presented_version = models.PositiveIntegerField("提示した計画の版", null=True, blank=True)
    # What the council reads is the plan with its projects: their content fingerprint at the
    # time of presenting (plans.fingerprint), so that a project changed since refuses the
    # decision even when the plan row kept its version.
    presented_fingerprint = models.CharField(
        "提示した計画の内容確認コード", max_length=64, blank=True, default=""
    )
    report_version = models.ForeignKey(
        "reports.ReportVersion",
        verbose_name="提示した報告書",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
        help_text="会議に提示した報告書PDFの版。決定はこの版に対して記録される。",
    )
    decision = models.CharField(
        "決定", max_length=20, choices=Decision.choices, default=Decision.PENDING
    )
    decision_comment = models.TextField("決定のコメント・条件", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="記録者",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("記録日時", null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[proposals])

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        verbose_name = "議題"
        verbose_name_plural = "議題"
        ordering = ["meeting", "order", "id"]

    def __str__(self):
        return self.title

    @property
    def is_decided(self):
        return self.decision != self.Decision.PENDING


# ---------------------------------------------------------------------------------------------
# PDCA progress (進行管理)


class ReportingPeriodQuerySet(OfficeScopedQuerySet):
    office_path = "plan__office"


class ReportingPeriod(models.Model):
    """One reporting period of a plan (a month or a quarter of the fiscal year), with the day
    its progress reports are due (moved to the previous working day)."""

    plan = models.ForeignKey(
        AnnualPlan, verbose_name="計画", on_delete=models.CASCADE, related_name="periods"
    )
    number = models.PositiveSmallIntegerField("番号")
    label = models.CharField("名称", max_length=40)
    starts_on = models.DateField("開始日")
    ends_on = models.DateField("終了日")
    due_on = models.DateField("報告期限")

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = "報告期間"
        verbose_name_plural = "報告期間"
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="period_unique_number")
        ]

    def __str__(self):
        return self.label


class ProgressReportQuerySet(OfficeScopedQuerySet):
    office_path = "project__plan__office"

    def submitted(self):
        return self.exclude(state=ProgressReport.State.DRAFT)


class ProgressReport(Versioned):
    """A project's PDCA report for one period, filed by the working-group lead and reviewed
    by the subcommittee."""

    class Status(models.TextChoices):
        ON_TRACK = "on_track", "順調"
        AT_RISK = "at_risk", "注意"
        DELAYED = "delayed", "遅延"
        DONE = "done", "完了"

    class State(models.TextChoices):
        DRAFT = "draft", "下書き"
        SUBMITTED = "submitted", "提出済み"
        CHANGES_REQUESTED = "changes_requested", "修正依頼"
        ACCEPTED = "accepted", "受理"

    project = models.ForeignKey(
        Project, verbose_name="事業", on_delete=models.CASCADE, related_name="progress_reports"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name="報告期間", on_delete=models.PROTECT, related_name="reports"
    )
    plan_text = models.TextField("計画（Plan）", blank=True)
    do_text = models.TextField("実施内容（Do）", blank=True)
    check_text = models.TextField("評価（Check）", blank=True)
    act_text = models.TextField("改善（Act）", blank=True)
    progress_percent = models.PositiveSmallIntegerField(
        "進捗率（%）", default=0, validators=[MaxValueValidator(100)]
    )
    status = models.CharField(
        "状況", max_length=20, choices=Status.choices, default=Status.ON_TRACK
    )
    state = models.CharField("手続き", max_length=20, choices=State.choices, default=State.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="作成者", on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("提出日時", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="確認者",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("確認日時", null=True, blank=True)
    review_comment = models.TextField("推進部会のコメント", blank=True)
    history = HistoricalRecords()

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = "進捗報告"
        verbose_name_plural = "進捗報告"
        ordering = ["project", "period__number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "period"], name="report_one_per_period")
        ]

    def __str__(self):
        return f"{self.project.code} {self.period}"

    def get_absolute_url(self):
        return reverse("plans:report_detail", args=[self.pk])

    @property
    def is_editable(self):
        return self.state in (self.State.DRAFT, self.State.CHANGES_REQUESTED)


class IndicatorValueQuerySet(OfficeScopedQuerySet):
    office_path = "report__project__plan__office"


class IndicatorValue(models.Model):
    """The actual value of one indicator in one progress report."""

    class Source(models.TextChoices):
        MANUAL = "manual", "入力"
        AUTOMATIC = "automatic", "記録から自動"

    report = models.ForeignKey(
        ProgressReport, verbose_name="進捗報告", on_delete=models.CASCADE, related_name="values"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name="指標", on_delete=models.CASCADE, related_name="values"
    )
    actual = models.DecimalField("実績値", max_digits=14, decimal_places=2)
    source = models.CharField(
        "入力元", max_length=20, choices=Source.choices, default=Source.MANUAL
    )
    history = HistoricalRecords()

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        verbose_name = "指標の実績値"
        verbose_name_plural = "指標の実績値"
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="value_one_per_report")
        ]

    def __str__(self):
        return f"{self.indicator}: {self.actual}"


def attachment_path(instance, filename):
    """A random name under the attachments folder: the stored name never comes from the user."""
    import uuid

    return f"attachments/{instance.report_id}/{uuid.uuid4().hex}"


class AttachmentQuerySet(OfficeScopedQuerySet):
    office_path = "report__project__plan__office"


class Attachment(models.Model):
    """A file attached to a progress report. Stored outside the web root under a random name
    and served only through the portal to people who may see the project."""

    report = models.ForeignKey(
        ProgressReport,
        verbose_name="進捗報告",
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField("ファイル", upload_to=attachment_path, max_length=200)
    original_name = models.CharField("ファイル名", max_length=200)
    content_type = models.CharField("種類", max_length=100)
    size = models.PositiveIntegerField("サイズ（バイト）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登録者", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("登録日時", auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = "添付ファイル"
        verbose_name_plural = "添付ファイル"
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("plans:attachment_download", args=[self.pk])


class ReminderQuerySet(OfficeScopedQuerySet):
    office_path = "project__plan__office"


class Reminder(models.Model):
    """A reminder sent to a lead about a report, kept so that the same reminder is never sent
    twice, however often the task runs."""

    class Kind(models.TextChoices):
        BEFORE_DUE = "before_due", "期限前"
        OVERDUE = "overdue", "期限超過"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reminders")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField("種別", max_length=20, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="宛先", on_delete=models.CASCADE, related_name="+"
    )
    sent_at = models.DateTimeField("送信日時", auto_now_add=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = "督促"
        verbose_name_plural = "督促"
        constraints = [
            models.UniqueConstraint(
                fields=["project", "period", "kind", "recipient"], name="reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.project} {self.period}"


class YearEndEvaluationQuerySet(OfficeScopedQuerySet):
    office_path = "project__plan__office"


class YearEndEvaluation(Versioned):
    """The subcommittee's year-end evaluation of a project: a grade with its reason, and the
    decision that "start next year" follows."""

    class Grade(models.TextChoices):
        A = "A", "A：目標を達成"
        B = "B", "B：概ね達成"
        C = "C", "C：一部未達成"
        D = "D", "D：未達成"

    class Decision(models.TextChoices):
        CONTINUE = "continue", "継続"
        CHANGE = "change", "見直して継続"
        FINISH = "finish", "終了"

    project = models.OneToOneField(
        Project, verbose_name="事業", on_delete=models.CASCADE, related_name="evaluation"
    )
    grade = models.CharField("評価", max_length=1, choices=Grade.choices)
    reason = models.TextField("評価の理由")
    decision = models.CharField("次年度の方針", max_length=20, choices=Decision.choices)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="評価者", on_delete=models.PROTECT, related_name="+"
    )
    evaluated_at = models.DateTimeField("評価日時", auto_now=True)
    history = HistoricalRecords()

    objects = YearEndEvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = "年度末評価"
        verbose_name_plural = "年度末評価"

    def __str__(self):
        return f"{self.project}: {self.grade}"
