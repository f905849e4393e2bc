"""Forms of training: courses, sessions, nomination, attendance, evaluation, requirements,
and the filters of the lists."""

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from takatsu_portal.core.fiscal import FiscalYear
from takatsu_portal.core.forms import ALL, SearchableMultipleChoiceField, office_sections
from takatsu_portal.core.models import Policy
from takatsu_portal.core.versioning import VersionedFormMixin

from .models import Category, Course, Enrolment, Evaluation, Requirement, Session

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CourseForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Course
        fields = [
            "title",
            "category",
            "kind",
            "objectives",
            "hours",
            "policies",
            "needs_approval",
            "evaluation_required",
            "organiser",
            "is_active",
        ]
        widgets = {"policies": forms.CheckboxSelectMultiple}

    def __init__(self, *args, office=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = get_user_model().objects.filter(is_active=True)
        if office is not None:
            people = people.filter(section__department__office=office)
        self.fields["organiser"].queryset = people.select_related("section")
        # The office's own basic policies (the city's template where no office is given).
        self.fields["policies"].queryset = Policy.objects.for_office(office)

    def clean(self):
        data = super().clean()
        if data.get("kind") == Course.Kind.NOMINATED and data.get("needs_approval"):
            self.add_error(
                "needs_approval", "指名研修では課長の承認は使いません（指名した時点で確定します）。"
            )
        return data


class SessionForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Session
        fields = [
            "starts_at",
            "ends_at",
            "place",
            "online_url",
            "capacity",
            "instructor",
            "apply_by",
            "cancel_by",
            "is_cancelled",
        ]
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "ends_at": DATETIME_WIDGET,
            "apply_by": DATETIME_WIDGET,
            "cancel_by": DATETIME_WIDGET,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at", "apply_by", "cancel_by"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        apply_by, cancel_by = data.get("apply_by"), data.get("cancel_by")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "終了日時は開始日時より後にしてください。")
        if starts and apply_by and apply_by > starts:
            self.add_error("apply_by", "申込締切は開始日時より前にしてください。")
        if starts and cancel_by and cancel_by > starts:
            self.add_error("cancel_by", "取消締切は開始日時より前にしてください。")
        if not data.get("place") and not data.get("online_url"):
            self.add_error("place", "会場かオンライン参加のURLのどちらかを入力してください。")
        capacity = data.get("capacity")
        if self.instance.pk and capacity is not None:
            held = self.instance.enrolments.filter(state=Enrolment.State.CONFIRMED).count()
            if capacity < held:
                self.add_error(
                    "capacity",
                    f"受講確定者が{held}名いるため、定員を{held}名未満にはできません。"
                    "先に受講を取り消してください。",
                )
        return data


class SessionFilter(forms.Form):
    category = forms.ChoiceField(
        label="分野", required=False, choices=[("", ALL), *Category.choices]
    )
    q = forms.CharField(label="研修名", required=False, max_length=100)


class NominateForm(forms.Form):
    people = SearchableMultipleChoiceField(
        label="指名する職員",
        queryset=get_user_model().objects.none(),
        required=False,
        search_label="職員を絞り込む（氏名・課）",
        help_text="指名する職員を選びます（いくつでも選べます）。",
    )
    section = forms.ModelChoiceField(
        label="課の全員を指名する",
        queryset=None,
        required=False,
        empty_label="（選ばない）",
    )

    def __init__(self, *args, people, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people
        self.fields["people"].label_from_instance = lambda u: f"{u.full_name}（{u.section}）"
        self.fields["section"].queryset = sections
        self._people = people

    def clean(self):
        data = super().clean()
        chosen = list(data.get("people") or [])
        section = data.get("section")
        if section is not None:
            chosen += list(self._people.filter(section=section))
        if not chosen:
            raise ValidationError("指名する職員か課を選んでください。")
        seen, unique = set(), []
        for person in chosen:
            if person.pk not in seen:
                seen.add(person.pk)
                unique.append(person)
        data["chosen"] = unique
        return data


class MoveRequestForm(forms.Form):
    to_session = forms.ModelChoiceField(label="変更を希望する回", queryset=Session.objects.none())
    reason = forms.CharField(label="理由", max_length=300, required=False)

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_session"].queryset = sessions


class AttendanceForm(forms.Form):
    """The attendance of a session's confirmed participants: one choice per row (`a-<id>`),
    empty for not yet entered. A row the request does not mention keeps its attendance;
    「未入力の人を出席にして保存する」 (`fill`) marks the empty ones present."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        choices = [("", "未入力"), *Enrolment.Attendance.choices]
        for row in rows:
            self.fields[f"a-{row.pk}"] = forms.ChoiceField(
                label=str(row.user), choices=choices, required=False
            )

    def marks(self):
        """{enrolment id: attendance} for attendance_record."""
        fill = self.data.get("fill") == "present"
        marks = {}
        for row in self.rows:
            name = f"a-{row.pk}"
            value = self.cleaned_data[name] if name in self.data else row.attendance
            if fill and not value:
                value = Enrolment.Attendance.PRESENT
            marks[row.pk] = value
        return marks

    def keep_input(self):
        """After a refusal: each row shows what was chosen (a valid choice), not what is saved."""
        for row in self.rows:
            value = self.data.get(f"a-{row.pk}")
            if value in Enrolment.Attendance.values:
                row.attendance = value

    def messages(self):
        """Every error as a sentence, the person's name first for a row's."""
        texts = list(self.non_field_errors())
        for name, errors in self.errors.items():
            if name != NON_FIELD_ERRORS:
                texts += [f"{self.fields[name].label}：{error}" for error in errors]
        return texts


class CancelForm(forms.Form):
    reason = forms.CharField(label="理由（任意）", max_length=300, required=False)


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["satisfaction", "usefulness", "comments"]
        widgets = {
            "satisfaction": forms.RadioSelect,
            "usefulness": forms.RadioSelect,
            "comments": forms.Textarea(attrs={"rows": 4}),
        }


class RequirementForm(forms.ModelForm):
    class Meta:
        model = Requirement
        fields = [
            "title",
            "audience",
            "role",
            "section",
            "course",
            "category",
            "due",
            "months",
            "is_active",
        ]

    def __init__(self, *args, office=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = office_sections(office)
        self.fields["course"].queryset = Course.objects.for_office(office)

    def clean(self):
        data = super().clean()
        audience = data.get("audience")
        if audience == Requirement.Audience.ROLE and not data.get("role"):
            self.add_error("role", "対象の役割を選んでください。")
        if audience == Requirement.Audience.SECTION and not data.get("section"):
            self.add_error("section", "対象の課を選んでください。")
        if bool(data.get("course")) == bool(data.get("category")):
            self.add_error("course", "研修か分野のどちらか一方を選んでください。")
        if data.get("due") == Requirement.Due.AFTER_JOINING and not data.get("months"):
            self.add_error("months", "着任後の月数を入力してください。")
        return data


def fiscal_year_choices(first=2019):
    current = FiscalYear.current().year
    return [(y, FiscalYear(y).label) for y in range(current, first - 1, -1)]


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label="年度", coerce=int, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = fiscal_year_choices()

    def fiscal_year(self):
        if self.is_valid() and self.cleaned_data.get("year"):
            return FiscalYear(self.cleaned_data["year"])
        return FiscalYear.current()


class ComplianceFilter(YearForm):
    section = forms.ModelChoiceField(label="課", queryset=None, required=False, empty_label=ALL)

    def __init__(self, *args, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = sections
