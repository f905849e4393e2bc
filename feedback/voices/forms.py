"""Forms of the resident voices register (区民の声): the list's filters, the voice form, and the
small forms of each step (assign, answer, close, reopen, projects).

Personal data (name, contact) is in the voice form only for those who may see it: for anyone
else the fields do not exist, so that values they post are ignored.
"""

import re

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.html import format_html

from plans.access import projects_for
from takatsu_portal.core.fiscal import FiscalYear, today
from takatsu_portal.core.forms import (
    ALL,
    DATE_WIDGET,
    SearchableMultipleChoiceField,
    office_sections,
    sections_for,
    shortlist,
)
from takatsu_portal.core.versioning import VersionedFormMixin
from takatsu_portal.plain_language.widgets import PlainLanguageTextarea

from ..access import windows_for
from ..models import ResidentVoice, ServiceWindow
from .services import DEFAULT_DUE_DAYS, RETENTION_YEARS

State = ResidentVoice.State
OPEN = "open"
MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$")

PERSONAL_DATA_NOTE = (
    f"任意です。回答や問い合わせの連絡のためだけに記録します。担当課と推進部会だけが閲覧でき、"
    f"変更履歴・一覧・出力ファイルには載りません。受付日から{RETENTION_YEARS}年を過ぎると"
    "削除します（区民の声の内容は残ります）。"
)


class WindowChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.section}）"


class ProjectChoiceField(SearchableMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} {obj.title}（{FiscalYear(obj.plan.fiscal_year).era_label}）"


PROJECTS_HELP = "この声に応える計画の事業（いくつでも選べます）。"


def projects_field():
    return ProjectChoiceField(
        label="対応する事業",
        queryset=None,
        required=False,
        search_label="事業を絞り込む（事業コード・事業名・年度）",
        help_text=PROJECTS_HELP,
    )


def offer_projects(form, user, *, everything=False):
    """対応する事業 (#10.11) takes any project of the office; its list shows this fiscal year's
    projects and those chosen (linked, or submitted), every project when asked for
    (`everything`, ?all_projects=1) — the link to ask is in the help text."""
    field = form.fields["projects"]
    field.queryset = office_projects(user)
    if everything:
        return
    shortlist(form, "projects", Q(plan__fiscal_year=FiscalYear.current().year))
    if not form.is_bound:
        field.help_text = format_html(
            '{} 今年度の計画の事業と、結び付け済みの事業を表示しています。<a href="{}">{}</a>',
            PROJECTS_HELP,
            "?all_projects=1",
            "ほかの年度の事業も表示する",
        )


def office_windows(user):
    return (
        windows_for(user)
        .select_related("section")
        .order_by("section__department__sort_order", "section__sort_order", "sort_order", "id")
    )


def office_projects(user):
    return projects_for(user).select_related("plan").order_by("-plan__fiscal_year", "code", "pk")


def section_staff(section):
    return (
        get_user_model()
        .objects.filter(section=section, is_active=True)
        .order_by("full_name_kana", "username")
    )


# ---------------------------------------------------------------------------------------------
# List filters


def _sections(request):
    return sections_for(request.user) if request else office_sections(None)


def _windows(request):
    return office_windows(request.user) if request else ServiceWindow.objects.none()


class VoiceFilter(django_filters.FilterSet):
    """The list's and the exports' filters. Querysets are scoped to the user's office. The
    keyword never searches personal data."""

    q = django_filters.CharFilter(
        label="キーワード", method="search", help_text="件名・内容・回答内容"
    )
    state = django_filters.ChoiceFilter(
        label="状況",
        choices=[(OPEN, "未回答（受付・担当決定）"), *State.choices],
        empty_label=ALL,
        method="filter_state",
    )
    category = django_filters.ChoiceFilter(
        label="分類", choices=ResidentVoice.Category.choices, empty_label=ALL
    )
    channel = django_filters.ChoiceFilter(
        label="受付方法", choices=ResidentVoice.Channel.choices, empty_label=ALL
    )
    section = django_filters.ModelChoiceFilter(label="担当課", queryset=_sections, empty_label=ALL)
    window = django_filters.ModelChoiceFilter(label="窓口", queryset=_windows, empty_label=ALL)
    month = django_filters.CharFilter(
        label="受付月",
        method="filter_month",
        widget=forms.DateInput(attrs={"type": "month"}),
        help_text="例：2026-06",
    )
    overdue = django_filters.BooleanFilter(
        label="回答期限を過ぎたものだけ", method="filter_overdue", widget=forms.CheckboxInput
    )
    mine = django_filters.BooleanFilter(
        label="自分が担当のものだけ", method="filter_mine", widget=forms.CheckboxInput
    )
    sort = django_filters.ChoiceFilter(
        label="並び順",
        choices=[("due", "期限超過を先に、回答期限順"), ("received", "受付日の新しい順")],
        empty_label=None,
        method="filter_sort",
    )

    class Meta:
        model = ResidentVoice
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(summary__icontains=value) | Q(body__icontains=value) | Q(answer_text__icontains=value)
        )

    def filter_state(self, queryset, name, value):
        if value == OPEN:
            return queryset.open()
        return queryset.filter(state=value)

    def filter_month(self, queryset, name, value):
        match = MONTH_RE.match(value.strip())
        if not match:
            return queryset
        year, month = int(match[1]), int(match[2])
        return queryset.filter(received_on__year=year, received_on__month=month)

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(today()) if value else queryset

    def filter_mine(self, queryset, name, value):
        return queryset.filter(assignee=self.request.user) if value else queryset

    def filter_sort(self, queryset, name, value):
        return queryset  # applied by the view (it also orders the unfiltered list)

    @property
    def chosen_sort(self):
        if self.is_valid():
            return self.form.cleaned_data.get("sort") or "due"
        return "due"


# ---------------------------------------------------------------------------------------------
# The voice form


class VoiceForm(VersionedFormMixin, forms.ModelForm):
    """A voice of the user's office. `personal_data=False` leaves out the name and contact
    fields altogether (the user may not see them)."""

    class Meta:
        model = ResidentVoice
        fields = [
            "channel",
            "category",
            "section",
            "window",
            "received_on",
            "due_on",
            "summary",
            "body",
            "contact_name",
            "contact_info",
            "projects",
        ]
        widgets = {
            "received_on": DATE_WIDGET,
            "due_on": DATE_WIDGET,
            "body": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "summary": "一覧に表示する短い件名。個人を特定できる内容は書かないでください。",
            "body": "寄せられた内容をそのまま記録します。",
            "due_on": f"空欄の場合は受付日の{DEFAULT_DUE_DAYS}日後になります。",
        }

    def __init__(self, *args, user, personal_data=True, all_projects=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections_for(user)
        self.fields["section"].empty_label = None
        self.fields["window"] = WindowChoiceField(
            label="窓口",
            queryset=office_windows(user).filter(Q(is_active=True) | Q(pk=self.instance.window_id)),
            required=False,
            empty_label="（窓口以外・不明）",
            help_text="担当課の窓口から選んでください。",
        )
        self.fields["projects"] = projects_field()
        offer_projects(self, user, everything=all_projects)
        self.fields["due_on"].required = False
        if self.instance.pk is None:
            self.fields["received_on"].initial = today()
            if user.section_id:
                self.fields["section"].initial = user.section_id
        if personal_data:
            self.fields["contact_name"].help_text = PERSONAL_DATA_NOTE
            self.fields[
                "contact_info"
            ].help_text = (
                "電話番号・メールアドレス・住所など。回答の連絡に必要な場合だけ記録します。"
            )
        else:
            del self.fields["contact_name"]
            del self.fields["contact_info"]

    @property
    def has_personal_data_fields(self):
        return "contact_name" in self.fields

    def clean(self):
        cleaned = super().clean()
        section = cleaned.get("section")
        window = cleaned.get("window")
        if section is not None and window is not None and window.section_id != section.pk:
            self.add_error("window", f"窓口「{window.name}」は{section}の窓口ではありません。")
        received_on = cleaned.get("received_on")
        due_on = cleaned.get("due_on")
        if received_on and received_on > today():
            self.add_error("received_on", "受付日に未来の日付は入力できません。")
        if received_on and due_on and due_on < received_on:
            self.add_error("due_on", "回答期限は受付日以降の日付にしてください。")
        return cleaned

    def personal_data(self):
        """Keyword arguments of the personal data for the services (none without the fields)."""
        if not self.has_personal_data_fields:
            return {}
        return {
            "contact_name": self.cleaned_data.get("contact_name", ""),
            "contact_info": self.cleaned_data.get("contact_info", ""),
        }


# ---------------------------------------------------------------------------------------------
# The steps


class AssignForm(forms.Form):
    # Starts empty: a preselected first name was assigned by mistake (#10.11).
    assignee = forms.ModelChoiceField(
        label="担当者",
        queryset=None,
        empty_label="選んでください",
        error_messages={"required": "担当者を選んでください。"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, voice, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = section_staff(voice.section_id)
        self.fields[
            "assignee"
        ].help_text = f"{voice.section}の職員から選びます。お知らせが届きます。"
        if voice.assignee_id:
            self.fields["assignee"].initial = voice.assignee_id


class AnswerForm(forms.Form):
    answer_text = forms.CharField(
        label="回答内容（対応した内容）",
        widget=PlainLanguageTextarea(attrs={"rows": 5}),
        max_length=5000,
        help_text="区民の方へ回答した内容、又は行った対応を記録します。",
    )
    answered_on = forms.DateField(
        label="回答日",
        widget=DATE_WIDGET,
        initial=today,
        required=False,
        help_text="電話などで先に回答した場合は、その日を入力します（今日以前、空欄は今日）。",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label="再開する理由", widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ProjectsForm(forms.Form):
    projects = projects_field()
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, user, voice, all_projects=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["projects"].initial = [p.pk for p in voice.projects.all()]
            self.fields["version"].initial = voice.version
        offer_projects(self, user, everything=all_projects)


class StatisticsForm(forms.Form):
    year = forms.TypedChoiceField(label="年度", coerce=int, required=False)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, FiscalYear(y).label) for y in years]
