"""Forms of the survey results: the office analysis filters and the free-text filters; and of
the two ways answers come in besides the public form: paper sheets typed in by staff, and
files exported by an external form service."""

import secrets

from crispy_forms.bootstrap import InlineCheckboxes, InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row
from django import forms
from django.conf import settings
from django.db.models import Max, Min

from takatsu_portal.core.fiscal import FiscalYear, today
from takatsu_portal.core.forms import DATE_WIDGET, sections_for

from ..access import surveys_for, windows_for
from ..models import LANGUAGES, SATISFACTION_LABELS, Question, Response

ALL = "すべて"


def fiscal_year_choices(user):
    """Fiscal years from the first survey of the office to this one (or to the last survey's),
    newest first."""
    current = FiscalYear.current().year
    span = surveys_for(user).aggregate(first=Min("opens_on"), last=Max("closes_on"))
    first = FiscalYear.of(span["first"]).year if span["first"] else current
    last = FiscalYear.of(span["last"]).year if span["last"] else current
    return [
        (str(year), FiscalYear(year).label)
        for year in range(max(current, last), min(first, current - 1) - 1, -1)
    ]


class WindowChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.section.name}）"


class AnalysisFilterForm(forms.Form):
    """Filters of the office analysis and its exports. An invalid or missing value falls back
    to no filter (and the current fiscal year), so a stale link still shows results."""

    fiscal_year = forms.TypedChoiceField(label="年度", coerce=int)
    section = forms.ModelChoiceField(label="課", queryset=None, required=False, empty_label=ALL)
    window = WindowChoiceField(label="窓口", queryset=None, required=False, empty_label=ALL)
    survey = forms.ModelChoiceField(
        label="アンケート", queryset=None, required=False, empty_label=ALL
    )
    channel = forms.ChoiceField(
        label="回答方法", choices=[("", ALL), *Response.Channel.choices], required=False
    )

    def __init__(self, data=None, *, user):
        super().__init__(data)
        self.fields["fiscal_year"].choices = fiscal_year_choices(user)
        self.fields["fiscal_year"].initial = str(FiscalYear.current().year)
        self.fields["section"].queryset = sections_for(user)
        self.fields["window"].queryset = windows_for(user).select_related("section")
        self.fields["survey"].queryset = surveys_for(user)

    def filters(self):
        """(FiscalYear, {section, window, survey, channel}) from the valid values."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        year = data.get("fiscal_year") or FiscalYear.current().year
        return FiscalYear(year), {
            "section": data.get("section"),
            "window": data.get("window"),
            "survey": data.get("survey"),
            "channel": data.get("channel") or None,
        }


class FreeTextFilterForm(forms.Form):
    question = forms.ModelChoiceField(label="質問", queryset=None, required=False, empty_label=ALL)
    window = WindowChoiceField(label="窓口", queryset=None, required=False, empty_label=ALL)
    month = forms.CharField(
        label="回答月",
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}),
        help_text="例：2026-06",
    )
    keyword = forms.CharField(label="キーワード", required=False, max_length=100)

    def __init__(self, data=None, *, survey, user):
        super().__init__(data)
        self.fields["question"].queryset = survey.questions.filter(
            kind=Question.Kind.TEXT
        ).order_by("order", "id")
        self.fields["window"].queryset = windows_for(user).select_related("section")

    def clean_month(self):
        from .results import parse_month

        month = self.cleaned_data["month"].strip()
        if month and parse_month(month) is None:
            raise forms.ValidationError("年と月を「2026-06」のように入力してください。")
        return month

    def filters(self):
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "question": data.get("question"),
            "window": data.get("window"),
            "month": data.get("month") or None,
            "keyword": data.get("keyword") or "",
        }


# ---------------------------------------------------------------------------------------------
# Paper entry


def question_field_name(question):
    return f"q{question.pk}"


SATISFACTION_SCALE = "、".join(
    f"{point}＝{label}" for point, label in reversed(list(enumerate(SATISFACTION_LABELS["ja"], 1)))
)


class FirstOptionFocus:
    """Options of which only the first carries `autofocus` when asked (one per page)."""

    autofocus = False

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if self.autofocus and index == 0:
            option["attrs"]["autofocus"] = True
        return option


class FocusRadioSelect(FirstOptionFocus, forms.RadioSelect):
    pass


class FocusCheckboxSelectMultiple(FirstOptionFocus, forms.CheckboxSelectMultiple):
    pass


class PaperEntryForm(forms.Form):
    """One paper sheet: the answer date and language (kept from the previous sheet), then the
    survey's questions in the order of the sheet, so that the tab order follows the paper.
    A satisfaction point is typed as one digit (1–5), the fastest to key in; choices are
    radio buttons or check boxes (arrow keys and the space bar), a window is a select."""

    submitted_on = forms.DateField(label="回答日", widget=DATE_WIDGET)
    language = forms.ChoiceField(label="言語", choices=LANGUAGES, initial="ja")
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, data=None, *, survey, questions, windows, sheet_window, initial=None):
        initial = {"submitted_on": today(), "language": "ja", **(initial or {})}
        initial.setdefault("submission_key", secrets.token_urlsafe(24))
        super().__init__(data, initial=initial)
        self.survey = survey
        self.questions = questions
        self.question_fields = []
        if sheet_window:
            # Without a window question, the window is where the sheets were collected.
            self.fields["window"] = forms.TypedChoiceField(
                label="回収した窓口",
                choices=[("", "（指定なし）"), *[(w.pk, w.name) for w in windows]],
                coerce=int,
                empty_value=None,
                required=False,
                help_text="用紙を回収した窓口が分かる場合に選びます。次の用紙にも引き継ぎます。",
            )
        for number, question in enumerate(questions, start=1):
            name = question_field_name(question)
            self.fields[name] = field = self._field(question, number, windows)
            if question.required and not isinstance(field.widget, FirstOptionFocus):
                field.widget.attrs["aria-required"] = "true"
            self.question_fields.append(name)
        self.helper = self._helper()

    def _helper(self):
        """The sheet's header in one row, then the questions in the order of the paper."""
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        header = [Column(name, css_class="col-sm-4") for name in ("submitted_on", "language")]
        if "window" in self.fields:
            header.append(Column("window", css_class="col-sm-4"))
        questions = []
        for question in self.questions:
            name = question_field_name(question)
            if question.kind == Question.Kind.SINGLE:
                questions.append(InlineRadios(name))
            elif question.kind == Question.Kind.MULTIPLE:
                questions.append(InlineCheckboxes(name))
            elif question.kind in (Question.Kind.SATISFACTION, Question.Kind.NUMBER):
                questions.append(Field(name, css_class="w-auto"))
            else:
                questions.append(Field(name))
        helper.layout = Layout(
            Fieldset("用紙の情報", Row(*header), "submission_key"),
            Fieldset("回答", *questions),
        )
        return helper

    def focus_first(self):
        """Put `autofocus` on the first question (or, after a refusal, on the first field in
        error): the person came to this page to type, sheet after sheet."""
        names = [n for n in self.fields if n in self.errors] if self.is_bound else []
        names = names or self.question_fields
        if not names:
            return
        widget = self.fields[names[0]].widget
        if isinstance(widget, FirstOptionFocus):
            widget.autofocus = True
        else:
            widget.attrs["autofocus"] = True

    @staticmethod
    def _field(question, number, windows):
        label = f"Q{number}　{question.text}"
        # Whether an answer is required is left to response_submit, which then reports every
        # problem of the sheet at once (with the answer date's); the label says it.
        if question.required:
            label += "（必須）"
        common = {"label": label, "required": False, "help_text": question.help_text}
        kind = Question.Kind
        if question.kind == kind.SATISFACTION:
            return forms.IntegerField(
                min_value=1,
                max_value=5,
                widget=forms.NumberInput(
                    attrs={"inputmode": "numeric", "min": 1, "max": 5, "class": "paper-point"}
                ),
                **{**common, "help_text": f"数字1文字で入力（{SATISFACTION_SCALE}）"},
            )
        if question.kind == kind.SINGLE:
            return forms.TypedChoiceField(
                choices=[(c.pk, c.text) for c in question.choices.all()],
                coerce=int,
                empty_value=None,
                widget=FocusRadioSelect,
                **common,
            )
        if question.kind == kind.MULTIPLE:
            return forms.TypedMultipleChoiceField(
                choices=[(c.pk, c.text) for c in question.choices.all()],
                coerce=int,
                widget=FocusCheckboxSelectMultiple,
                **common,
            )
        if question.kind == kind.NUMBER:
            attrs = {"step": "any"}
            if question.min_value is not None:
                attrs["min"] = question.min_value
            if question.max_value is not None:
                attrs["max"] = question.max_value
            return forms.DecimalField(
                max_digits=12, decimal_places=2, widget=forms.NumberInput(attrs=attrs), **common
            )
        if question.kind == kind.WINDOW:
            return forms.TypedChoiceField(
                choices=[("", "（未記入）"), *[(w.pk, w.name) for w in windows]],
                coerce=int,
                empty_value=None,
                **common,
            )
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), **common)

    def answers(self):
        """{question id: value} for response_submit, leaving out what was not filled in."""
        answers = {}
        for question in self.questions:
            value = self.cleaned_data.get(question_field_name(question))
            if value in (None, "", []):
                continue
            answers[question.pk] = value
        return answers


# ---------------------------------------------------------------------------------------------
# Import


class ResponseImportForm(forms.Form):
    file = forms.FileField(
        label="ファイル",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = settings.RESPONSE_IMPORT_MAX_MB * 1024 * 1024
        self.fields["file"].help_text = (
            "外部のフォームサービスから出力した .csv 又は .xlsx"
            f"（{settings.RESPONSE_IMPORT_MAX_MB}MB・{settings.RESPONSE_IMPORT_MAX_ROWS}行まで）。"
            "CSVはUTF-8（BOMの有無は問いません）又はShift-JIS（CP932）。"
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                f"ファイルが大きすぎます（{upload.size / 1024 / 1024:.1f}MB）。"
                f"{self.max_bytes // 1024 // 1024}MBまでのファイルを選んでください。"
            )
        return upload
