"""Forms of the projects (事業): the list's filters, the project form with its milestones and
indicators, and the import form.

A working-group lead edits only their own group's projects (rules.py); the project form
offers them only the groups they lead, so that they cannot create a project for, or move one
to, another group: the choice is checked on the server as well, by the field's queryset.
"""

import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.db.models import Q

from takatsu_portal.accounts.models import Section
from takatsu_portal.core import indicators as indicator_sources
from takatsu_portal.core.forms import ALL, DATE_WIDGET, office_sections, sections_for
from takatsu_portal.core.formsets import OwnRowsFormSet
from takatsu_portal.core.models import InitiativeArea, Policy
from takatsu_portal.core.tabular import MAX_BYTES, MAX_ROWS
from takatsu_portal.core.versioning import VersionedFormMixin
from takatsu_portal.plain_language.widgets import PlainLanguageTextarea

from ..access import plans_for, working_groups_for
from ..models import Indicator, Milestone, Project, Stage, WorkingGroup


class PlanChoiceField(forms.ModelChoiceField):
    """Plans by fiscal year: an office has one plan a year."""

    def label_from_instance(self, obj):
        return obj.fy.label


# ---------------------------------------------------------------------------------------------
# List filters


def _plans(request):
    return plans_for(request.user).order_by("-fiscal_year") if request else None


def filter_sections(request):
    return sections_for(request.user) if request else Section.objects.none()


def filter_groups(request):
    return working_groups_for(request.user) if request else WorkingGroup.objects.none()


def filter_policies(request):
    """The user's office's own policies (the city's template for an office-less user)."""
    return Policy.objects.for_office(request.user.office) if request else Policy.objects.none()


def filter_areas(request):
    if request is None:
        return InitiativeArea.objects.none()
    return InitiativeArea.objects.for_office(request.user.office)


class PlanFilter(django_filters.ModelChoiceFilter):
    field_class = PlanChoiceField


class ProjectFilter(django_filters.FilterSet):
    """The list's and the exports' filters. Querysets are scoped to the user's office."""

    q = django_filters.CharFilter(
        label="キーワード", method="search", help_text="事業コード・事業名・内容"
    )
    plan = PlanFilter(label="計画", queryset=_plans, empty_label=ALL)
    policy = django_filters.ModelChoiceFilter(
        label="基本方針", field_name="policies", queryset=filter_policies, empty_label=ALL
    )
    initiative_area = django_filters.ModelChoiceFilter(
        label="具体的な取組", queryset=filter_areas, empty_label=ALL
    )
    section = django_filters.ModelChoiceFilter(
        label="所管課", queryset=filter_sections, empty_label=ALL
    )
    working_group = django_filters.ModelChoiceFilter(
        label="ワーキンググループ", queryset=filter_groups, empty_label=ALL
    )
    status = django_filters.ChoiceFilter(
        label="状況", choices=Project.Status.choices, empty_label=ALL
    )

    class Meta:
        model = Project
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(code__icontains=value) | Q(title__icontains=value) | Q(description__icontains=value)
        )


# ---------------------------------------------------------------------------------------------
# The project form


class ProjectForm(VersionedFormMixin, forms.ModelForm):
    """A project of `plan`, edited by `user`: the working groups offered are those whose
    projects the user may edit."""

    class Meta:
        model = Project
        fields = [
            "code",
            "title",
            "description",
            "policies",
            "initiative_area",
            "section",
            "working_group",
            "budget_requested",
            "budget_approved",
            "status",
            "starts_on",
        ]
        widgets = {
            "description": PlainLanguageTextarea(attrs={"rows": 5}),
            "policies": forms.CheckboxSelectMultiple,
            "starts_on": DATE_WIDGET,
        }
        help_texts = {
            "policies": "一つ以上選んでください。",
            "budget_requested": "円単位の整数で入力します。",
            "budget_approved": "査定の結果が出たら入力します。",
        }

    def __init__(self, *args, plan, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.instance.plan = plan
        self.fields["section"].queryset = office_sections(plan.office)
        self.fields["policies"].queryset = Policy.objects.for_office(plan.office)
        self.fields["initiative_area"].queryset = InitiativeArea.objects.for_office(plan.office)
        self.fields["initiative_area"].empty_label = "（選んでください）"
        self.fields["section"].empty_label = "（選んでください）"
        self.fields["working_group"].empty_label = "（なし）"
        groups = WorkingGroup.objects.for_office(plan.office).filter(
            Q(dissolved_on__isnull=True) | Q(pk=self.instance.working_group_id)
        )
        allowed = [
            g.pk
            for g in groups
            if user.has_perm("plans.change_project", Project(plan=plan, working_group=g))
        ]
        self.fields["working_group"].queryset = groups.filter(pk__in=allowed)
        if not user.has_perm("plans.change_project", Project(plan=plan, working_group=None)):
            # A lead's project belongs to one of their groups.
            self.fields["working_group"].required = True
            self.fields["working_group"].empty_label = None
            self.fields[
                "working_group"
            ].help_text = "あなたがリーダーのワーキンググループから選びます。"

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        clash = self.plan.projects.filter(code=code).exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(f"事業コード「{code}」はこの計画ですでに使われています。")
        return code


class _RowHelper(FormHelper):
    def __init__(self, *columns):
        super().__init__()
        self.form_tag = False
        self.disable_csrf = True
        self.layout = Layout(Row(*[Column(name, css_class=css) for name, css in columns]))


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on", "done_on"]
        widgets = {"due_on": DATE_WIDGET, "done_on": DATE_WIDGET}


class IndicatorForm(forms.ModelForm):
    """An indicator; its actual value is typed in each progress report, or taken from one of
    the sources other apps register with the floor (a survey question, a course, a training
    category), offered here with the options of the plan's office."""

    source = forms.ChoiceField(
        label="実績値の取得元",
        required=False,
        help_text="選ぶと、各報告期間の実績値を他の機能の記録（区民アンケートの回答、研修の修了記録）"
        "から自動で計算します。選ばなければ、進捗報告で入力します。",
    )

    class Meta:
        model = Indicator
        fields = ["name", "unit", "baseline", "target", "direction"]

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["source"]
        grouped = indicator_sources.choices(office)
        current = indicator_sources.choice_value(self.instance.source_key, self.instance.source_ref)
        offered = {value for _, options in grouped for value, _ in options}
        if current and current not in offered:
            # A source or row no longer offered (deleted question, uninstalled app) stays
            # selectable so that saving the form does not lose it silently.
            grouped.append(("現在の設定", [(current, f"現在の設定（{current}）")]))
        if not grouped:  # no app measures anything in this install
            del self.fields["source"]
            return
        field.choices = [("", "（取らない：報告で入力）"), *grouped]
        field.initial = current

    def save(self, commit=True):
        if "source" in self.fields:
            key, ref = indicator_sources.split_choice(self.cleaned_data.get("source"))
            self.instance.source_key, self.instance.source_ref = key, ref
        return super().save(commit=commit)


class ProjectRowsFormSet(OwnRowsFormSet):
    """A project's rows (milestones, indicators): its own only (core/formsets.py)."""

    row_gone = (
        "この行はこの事業にありません（他の人が削除した可能性があります）。"
        "画面を開き直してください。"
    )


ROW_GONE = ProjectRowsFormSet.row_gone


MilestoneFormSet = forms.inlineformset_factory(
    Project,
    Milestone,
    form=MilestoneForm,
    formset=ProjectRowsFormSet,
    extra=1,
    can_delete=True,
)
IndicatorFormSet = forms.inlineformset_factory(
    Project,
    Indicator,
    form=IndicatorForm,
    formset=ProjectRowsFormSet,
    extra=1,
    can_delete=True,
)
MilestoneFormSet.helper = _RowHelper(
    ("title", "col-md-5"), ("due_on", "col-md-3"), ("done_on", "col-md-3"), ("DELETE", "col-md-1")
)
IndicatorFormSet.helper = _RowHelper(
    ("name", "col-md-3"),
    ("unit", "col-md-2"),
    ("baseline", "col-md-2"),
    ("target", "col-md-2"),
    ("direction", "col-md-2"),
    ("DELETE", "col-md-1"),
    ("source", "col-md-12"),
)


def project_formsets(data=None, *, instance):
    indicators = IndicatorFormSet(
        data,
        instance=instance,
        prefix="indicators",
        form_kwargs={"office": instance.plan.office},
    )
    return {
        "milestones": MilestoneFormSet(data, instance=instance, prefix="milestones"),
        "indicators": indicators,
    }


# ---------------------------------------------------------------------------------------------
# Import


class ImportForm(forms.Form):
    plan = PlanChoiceField(label="取込み先の計画", queryset=None)
    file = forms.FileField(
        label="ファイル",
        help_text=(
            "事業一覧のCSV・Excel出力と同じ列のファイル"
            f"（.csv 又は .xlsx、{MAX_BYTES // 1024 // 1024}MB・{MAX_ROWS}行まで）。"
            "CSVはUTF-8（BOMの有無は問いません）又はShift-JISで保存したもの。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = (
            plans_for(user).exclude(stage=Stage.CLOSED).order_by("-fiscal_year")
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"ファイルが大きすぎます（{upload.size / 1024 / 1024:.1f}MB）。"
                f"{MAX_BYTES // 1024 // 1024}MBまでのファイルを選んでください。"
            )
        return upload
