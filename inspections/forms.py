from django import forms

from takatsu_portal.accounts.models import Section, User
from takatsu_portal.accounts.scope import office_scope_of
from takatsu_portal.core.fields import SingleLineCharField
from takatsu_portal.core.forms import DATE_WIDGET, SearchableMultipleChoiceField
from takatsu_portal.core.versioning import VersionedFormMixin

from .models import ChecklistItem, ChecklistTemplate, Finding, Inspection, Rating, TeamMember


def office_sections(user):
    return office_scope_of(user).apply(Section.objects.all(), "department__office")


class InspectionForm(VersionedFormMixin, forms.ModelForm):
    template = forms.ModelChoiceField(
        label="チェックリスト",
        queryset=ChecklistTemplate.objects.all(),
        empty_label=None,
        help_text="計画した時点の最新の版で点検します。後でチェックリストが改訂されても、この点検の項目は変わりません。",
    )

    class Meta:
        model = Inspection
        fields = ["title", "inspected_on", "template", "section", "places", "notes"]
        widgets = {
            "inspected_on": DATE_WIDGET,
            "places": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, places, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["places"].queryset = places
        self.fields["places"].label_from_instance = lambda p: p.full_name
        self.fields["section"].queryset = office_sections(user)
        if self.instance.pk:
            del self.fields["template"]
            del self.fields["section"]


class TeamMemberForm(forms.ModelForm):
    class Meta:
        model = TeamMember
        fields = ["kind", "user", "resident_role", "resident_name", "consent_on"]
        widgets = {"consent_on": DATE_WIDGET}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        people = office_scope_of(user).apply(
            User.objects.filter(is_active=True).select_related("section"),
            "section__department__office",
        )
        self.fields["user"].queryset = people.order_by("full_name_kana")
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.full_name}（{u.section or '所属なし'}）"
        )
        self.fields["user"].help_text = "区民モニター以外は職員を選びます。"


class AnswerForm(forms.Form):
    """One item at one place: a rating button, or a measured value; a note and a photo."""

    rating = forms.ChoiceField(choices=Rating.choices, required=False)
    value = SingleLineCharField(label="計測値", required=False, max_length=30)
    note = forms.CharField(
        label="気づいたこと（任意）", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    severity = forms.ChoiceField(
        label="要改善のときの重要度",
        choices=Finding.Severity.choices,
        initial=Finding.Severity.MEDIUM,
        required=False,
    )
    photo = forms.FileField(
        label="写真",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


class ItemForm(VersionedFormMixin, forms.ModelForm):
    note = SingleLineCharField(label="改訂の内容", max_length=200, required=False)

    class Meta:
        model = ChecklistItem
        fields = [
            "text",
            "guidance",
            "barrier",
            "place_type",
            "answer_kind",
            "unit",
            "rule",
            "low",
            "high",
            "is_ratio",
            "photo_expected",
        ]
        widgets = {"guidance": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, template, **kwargs):
        super().__init__(*args, **kwargs)
        # The version guards the template (the unit of revision), not the item.
        self.fields["version"].initial = template.version

    def clean(self):
        data = super().clean()
        if data.get("answer_kind") == ChecklistItem.AnswerKind.MEASURE:
            rule = data.get("rule")
            if not rule:
                self.add_error("rule", "計測値の項目には基準を選んでください。")
            elif rule in ("at_least", "between") and data.get("low") is None:
                self.add_error("low", "下限を入力してください。")
            elif rule in ("at_most", "between") and data.get("high") is None:
                self.add_error("high", "上限を入力してください。")
        return data


class FindingForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Finding
        fields = ["severity", "section", "due_on", "description"]
        widgets = {"due_on": DATE_WIDGET, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = office_sections(user)


class CorrectionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    correction = forms.CharField(
        label="是正の内容",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="例：案内板を張り替え、英語・中国語・韓国語の表記を加えた。",
    )
    corrected_on = forms.DateField(label="是正日", widget=DATE_WIDGET)
    photo = forms.FileField(
        label="是正後の写真",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


class RecheckForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    confirmed = forms.TypedChoiceField(
        label="再確認の結果",
        choices=[
            ("yes", "是正されていることを確認した（完了にする）"),
            ("no", "まだ是正されていない"),
        ],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    checked_on = forms.DateField(label="確認日", widget=DATE_WIDGET)
    note = forms.CharField(
        label="確認の内容", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    photo = forms.FileField(
        label="再確認時の写真",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )


class ProposeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class VoiceLinkForm(forms.Form):
    voices = SearchableMultipleChoiceField(
        label="関連する区民の声（分類：バリアフリー）",
        queryset=None,
        required=False,
        search_label="区民の声を絞り込む",
    )

    def __init__(self, *args, voices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["voices"].queryset = voices
        self.fields["voices"].label_from_instance = lambda v: (
            f"{v.received_on:%Y/%m/%d} {v.summary}（{v.get_state_display()}）"
        )


class FindingFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="状況", required=False, choices=[("", "すべて"), *Finding.State.choices]
    )
    barrier = forms.ChoiceField(
        label="バリア",
        required=False,
        choices=[("", "すべて"), *Finding._meta.get_field("barrier").choices],
    )
    section = forms.ModelChoiceField(
        label="担当課",
        required=False,
        queryset=Section.objects.none(),
        empty_label="すべて",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    overdue = forms.BooleanField(label="期限超過のみ", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = office_sections(user)


class SummaryForm(forms.Form):
    fiscal_year = forms.TypedChoiceField(
        label="年度",
        coerce=int,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        from takatsu_portal.core.fiscal import FiscalYear

        self.fields["fiscal_year"].choices = [("", "すべての年度")] + [
            (y, FiscalYear(y).label) for y in years
        ]
