"""Forms of the progress reports (進捗報告): the board's filter, the plan's reporting settings,
the report with its indicator values and attachments, and the subcommittee's review.

Uploads are checked by uploads.validate_upload in the form's clean, before anything is saved:
a bad file is a field error and the rest of the request is not saved either.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError

from takatsu_portal.accounts.permissions import is_wg_lead
from takatsu_portal.core import uploads
from takatsu_portal.core.fiscal import today
from takatsu_portal.core.forms import ALL
from takatsu_portal.core.versioning import VersionedFormMixin

from ..access import plans_for
from ..models import ProgressReport, Project, ReportingFrequency
from ..projects.forms import (
    PlanChoiceField,
    filter_areas,
    filter_groups,
    filter_policies,
    filter_sections,
)
from .board import with_report_state

MAX_FILES_PER_SAVE = 5

# ---------------------------------------------------------------------------------------------
# The board's filter


def _plans(request):
    return plans_for(request.user).order_by("-fiscal_year") if request else None


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


# ---------------------------------------------------------------------------------------------
# Reports

PDCA_HELP = {
    "plan_text": "この期間に何を、いつまでに、どこまで行う予定だったか（前回の報告の「改善」が"
    "引き継がれています）。",
    "do_text": "この期間に実際に行ったこと。日付・回数・参加者数など、事実を具体的に書きます。",
    "check_text": "計画と比べて、できたこと・できなかったこととその理由。指標の実績値の動きも"
    "踏まえて評価します。",
    "act_text": "評価を踏まえて、次の期間に続けること・見直すこと。次回の報告の「計画」に"
    "引き継がれます。",
}


class ReportingForm(VersionedFormMixin, forms.Form):
    """How often the plan's projects report, and how many days after a period's end."""

    reporting_frequency = forms.ChoiceField(
        label="進捗報告の頻度",
        choices=ReportingFrequency.choices,
        widget=forms.RadioSelect,
        help_text="進捗報告が一件でも作成された後は、頻度を変えられません。",
    )
    report_due_days = forms.IntegerField(
        label="報告の期限（期間の終了から何日後）",
        min_value=0,
        max_value=60,
        help_text="期限が土日・祝日・年末年始（12月29日〜1月3日）にあたるときは、"
        "その前の開庁日が期限になります。",
    )

    def __init__(self, *args, plan, **kwargs):
        # The mixin reads the version the editor starts from off `instance`.
        self.instance = plan
        kwargs.setdefault(
            "initial",
            {
                "reporting_frequency": plan.reporting_frequency,
                "report_due_days": plan.report_due_days,
            },
        )
        super().__init__(*args, **kwargs)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentField(forms.FileField):
    """Zero or more files, each checked by uploads.validate_upload; cleans to a list of
    (uploaded file) in the order given."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        files = [f for f in files if f]
        if len(files) > MAX_FILES_PER_SAVE:
            raise ValidationError(f"一度に添付できるファイルは{MAX_FILES_PER_SAVE}件までです。")
        errors = []
        for uploaded in files:
            super().clean(uploaded, initial)
            try:
                uploads.validate_upload(uploaded)
            except ValidationError as error:
                name = uploads.clean_upload_name(uploaded.name or "") or "（名前なし）"
                errors.extend(f"「{name}」：{message}" for message in error.messages)
        if errors:
            raise ValidationError(errors)
        return files


class ReportForm(VersionedFormMixin, forms.ModelForm):
    """The PDCA text, progress and status, one field per indicator of the project, and new
    attachments. With `submitting`, the four PDCA texts are required (the service asks the
    same; the form says it on each field)."""

    attachments = AttachmentField(
        label="添付ファイルを追加",
        required=False,
        help_text=(
            "PDF・Word・Excel・PowerPoint・画像（PNG・JPEG）・CSV・テキスト、"
            f"1件{uploads.MAX_ATTACHMENT_BYTES // (1024 * 1024)}MBまで、"
            f"一度に{MAX_FILES_PER_SAVE}件まで。"
            "区民の個人情報を含むファイルは添付しないでください。"
        ),
    )

    class Meta:
        model = ProgressReport
        fields = ["plan_text", "do_text", "check_text", "act_text", "progress_percent", "status"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in PDCA_HELP}
        help_texts = {
            **PDCA_HELP,
            "progress_percent": "事業全体のうち、この期間の終わりまでに終えた割合（0〜100）。",
            "status": "予定どおりなら「順調」、遅れが出そうなら「注意」、遅れているなら「遅延」。",
        }

    def __init__(self, *args, indicators, values, submitting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["progress_percent"].widget.attrs.update({"min": 0, "max": 100})
        self.indicators = list(indicators)
        for indicator in self.indicators:
            source = indicator.source
            from_source = source is not None
            self.fields[self.indicator_field(indicator)] = forms.DecimalField(
                label=str(indicator),
                required=False,
                max_digits=14,
                decimal_places=2,
                initial=values.get(indicator.pk),
                disabled=from_source,
                help_text=f"基準値 {_number(indicator.baseline)} → 目標値 "
                f"{_number(indicator.target)}（{indicator.get_direction_display()}）。"
                + (
                    f"{source.label}を、この期間の記録から自動で計算します"
                    + ("（所管課の窓口の回答）。" if source.per_section else "（区役所全体）。")
                    if from_source
                    else "この期間の終わりの実績値。分からなければ空欄。"
                ),
            )
        # The attachment field last, after the indicators.
        self.fields["attachments"] = self.fields.pop("attachments")
        if submitting:
            for name in PDCA_HELP:
                self.fields[name].required = True
                self.fields[name].error_messages["required"] = (
                    f"提出する前に「{self.fields[name].label}」を入力してください。"
                )

    @staticmethod
    def indicator_field(indicator):
        return f"indicator_{indicator.pk}"

    def indicator_values(self):
        """{indicator: Decimal or None} for progress.report_save."""
        return {i: self.cleaned_data.get(self.indicator_field(i)) for i in self.indicators}


def _number(value):
    """A decimal without trailing zeros: 72.00 → 72, 3.50 → 3.5."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class SubmitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReviewForm(forms.Form):
    ACCEPT = "accept"
    REQUEST_CHANGES = "request_changes"

    # The two submit buttons of the form carry the action.
    action = forms.ChoiceField(
        label="判断",
        choices=[(ACCEPT, "受理する"), (REQUEST_CHANGES, "修正を依頼する")],
        error_messages={"required": "「受理する」か「修正を依頼する」を選んでください。"},
    )
    comment = forms.CharField(
        label="コメント",
        help_text="修正を依頼するときは、直してほしい点を具体的に書いてください（必須）。"
        "受理するときは任意です。作成者とワーキンググループのリーダーに通知されます。",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean(self):
        data = super().clean()
        if data.get("action") == self.REQUEST_CHANGES and not (data.get("comment") or "").strip():
            self.add_error("comment", "修正してほしい点を入力してください。")
        return data
