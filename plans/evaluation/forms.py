"""Forms of the progress board (進捗管理) and of the year-end evaluation (年度末評価)."""

import django_filters
from django import forms

from takatsu_portal.accounts.permissions import is_wg_lead
from takatsu_portal.core.fiscal import today
from takatsu_portal.core.forms import ALL, office_sections
from takatsu_portal.core.models import InitiativeArea, Policy
from takatsu_portal.core.versioning import VersionedFormMixin

from ..access import plans_for, working_groups_for
from ..models import ProgressReport, Project, WorkingGroup, YearEndEvaluation
from ..progress.board import with_report_state
from ..projects.forms import PlanChoiceField


def _plans(request):
    return plans_for(request.user).order_by("-fiscal_year") if request else None


def _sections(request):
    return office_sections(request.user.office) if request else None


def _groups(request):
    return working_groups_for(request.user) if request else WorkingGroup.objects.none()


def _policies(request):
    """The user's office's own policies (the city's template for an office-less user)."""
    return Policy.objects.for_office(request.user.office) if request else Policy.objects.none()


def _areas(request):
    if request is None:
        return InitiativeArea.objects.none()
    return InitiativeArea.objects.for_office(request.user.office)


class BoardPlanFilter(django_filters.ModelChoiceFilter):
    field_class = PlanChoiceField


REPORT_STATES = [
    (ProgressReport.State.SUBMITTED.value, "提出済み（推進部会の確認待ち）"),
    (ProgressReport.State.CHANGES_REQUESTED.value, "修正依頼中"),
    ("due_soon", "期限が近い（未提出）"),
    ("overdue", "期限超過"),
]


class BoardFilter(django_filters.FilterSet):
    """The board shows one plan at a time (its reporting periods are the matrix's columns);
    the other filters narrow its projects. Every choice is scoped to the user's office."""

    plan = BoardPlanFilter(label="計画", queryset=_plans, empty_label=None)
    policy = django_filters.ModelChoiceFilter(
        label="基本方針", field_name="policies", queryset=_policies, empty_label=ALL
    )
    initiative_area = django_filters.ModelChoiceFilter(
        label="具体的な取組", queryset=_areas, empty_label=ALL
    )
    section = django_filters.ModelChoiceFilter(label="所管課", queryset=_sections, empty_label=ALL)
    working_group = django_filters.ModelChoiceFilter(
        label="ワーキンググループ", queryset=_groups, empty_label=ALL
    )
    # What the home page's attention items count, so that each links to exactly its list.
    report_state = django_filters.ChoiceFilter(
        label="報告の状態",
        choices=REPORT_STATES,
        empty_label=ALL,
        method="filter_report_state",
    )
    # A lead's home page counts the reports of the groups they lead: this narrows the board to
    # exactly those (a lead of two groups included).
    mine = django_filters.BooleanFilter(
        label="自分がリーダーのワーキンググループだけ",
        method="filter_mine",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Project
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is None or not is_wg_lead(request.user):
            del self.filters["mine"]

    def filter_report_state(self, queryset, name, value):
        return with_report_state(queryset, value, on=today())

    def filter_mine(self, queryset, name, value):
        return queryset.filter(working_group__lead=self.request.user) if value else queryset


class EvaluationForm(VersionedFormMixin, forms.ModelForm):
    """The subcommittee's year-end evaluation of one project."""

    class Meta:
        model = YearEndEvaluation
        fields = ["grade", "reason", "decision"]
        widgets = {
            "grade": forms.RadioSelect,
            "decision": forms.RadioSelect,
            "reason": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "reason": "指標の達成状況や取組の結果など、評価の根拠を書いてください。",
            "decision": (
                "「継続」「見直して継続」の事業は、次年度の計画を作成するときに引き継がれます。"
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Radio lists without Django's "---------" entry: a choice is required.
        for name in ("grade", "decision"):
            self.fields[name].choices = [
                c for c in self.fields[name].choices if c[0] not in ("", None)
            ]
