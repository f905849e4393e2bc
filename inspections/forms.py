from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from takatsu_portal.accounts.models import Section, User
from takatsu_portal.accounts.permissions import user_may
from takatsu_portal.accounts.scope import office_scope_of
from takatsu_portal.core.fields import SingleLineCharField
from takatsu_portal.core.forms import DATE_WIDGET, SearchableMultipleChoiceField
from takatsu_portal.core.versioning import VersionedFormMixin

from .models import (
    Building,
    ChecklistItem,
    ChecklistTemplate,
    Finding,
    Floor,
    Inspection,
    Place,
    Rating,
    TeamMember,
)


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
        # Retired places are not offered to a new inspection; one already chosen stays.
        offered = Q(pk__in=places.in_use().values("pk"))
        if self.instance.pk:
            offered |= Q(pk__in=self.instance.places.values("pk"))
        self.fields["places"].queryset = places.filter(offered)
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


def _bound_text(item, value):
    """A rule's bound as the editor typed it: 1/12 for a slope, 80 for a width."""
    if value is None:
        return ""
    if item.is_ratio:
        return item.format_value(value)
    return f"{Decimal(value).normalize():f}"


class ItemForm(VersionedFormMixin, forms.ModelForm):
    """An item of a checklist. Bounds are typed as people write them (80, 75.5, or 1/12 for a
    slope); the model's clean() checks that the rule can decide a rating."""

    low = SingleLineCharField(
        label="下限", required=False, max_length=30, help_text="「以上」「範囲内」のとき。例：80"
    )
    high = SingleLineCharField(
        label="上限",
        required=False,
        max_length=30,
        help_text="「以下」「範囲内」のとき。勾配は 1/12 のように入力します。",
    )
    note = SingleLineCharField(
        label="改訂の内容",
        max_length=200,
        required=False,
        help_text="版の一覧に表示します。空欄なら「項目 物-01 を変更」のように記録します。",
    )

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
        self.fields["version"].required = True
        if self.instance.pk:
            self.initial["low"] = _bound_text(self.instance, self.instance.low)
            self.initial["high"] = _bound_text(self.instance, self.instance.high)

    def clean(self):
        """The bounds as numbers, read once every field is cleaned: a slope's bound (「勾配
        （1/N）で入力する」, the form's own `is_ratio`) is typed as 1/N. A bound that is not a
        number is an error on its field; the text stays on the form."""
        from .services import parse_number

        data = super().clean()
        ratio = bool(data.get("is_ratio"))
        for name in ("low", "high"):
            if name not in data:  # already refused by the field itself
                continue
            text = data[name] or ""
            if not text.strip():
                data[name] = None
                continue
            try:
                data[name] = parse_number(text, field=name, ratio=ratio)
            except ValidationError as error:
                self.add_error(name, error.message_dict[name])
        return data

    def _update_errors(self, errors):
        # A bound that was typed but is not a number reaches the model's rule check as no
        # bound at all: its 「…を入力してください」 would contradict the field's own reason.
        error_dict = getattr(errors, "error_dict", None)
        if error_dict is not None:
            for name in ("low", "high"):
                if name in self._errors:
                    error_dict.pop(name, None)
            if not error_dict:
                return
        super()._update_errors(errors)


class ItemAddForm(ItemForm):
    code = SingleLineCharField(
        label="項目番号",
        max_length=20,
        help_text="チェックリストの中で重ならない番号。例：物-15、情-09、心-07",
    )

    field_order = ["code"]

    class Meta(ItemForm.Meta):
        fields = ["code", *ItemForm.Meta.fields]


class TemplateStepForm(forms.Form):
    """A one-button change of a checklist (move, remove): the version the editor loaded."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class TemplateForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = ChecklistTemplate
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def validate_unique(self):
        # The services say a name is taken, on the name field and in plain words.
        return


class TemplateCreateForm(TemplateForm):
    copy_from = forms.ModelChoiceField(
        label="複製元",
        queryset=ChecklistTemplate.objects.all(),
        required=False,
        empty_label="複製しない（項目のない新しいチェックリスト）",
        help_text="選んだチェックリストの最新の版の項目を写して始めます。",
    )


# ---------------------------------------------------------------------------------------------
# Places


class NamesCheckedByServiceMixin:
    """The service (location_save) says which name is taken, on the name field and in plain
    words; the form leaves the unique constraints to it (the database still enforces them)."""

    def validate_constraints(self):
        return


class BuildingForm(NamesCheckedByServiceMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Building
        fields = ["office", "name", "address", "sort_order"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        scope = office_scope_of(user)
        if self.instance.pk or not scope.every_office:
            # A building stays in its office; a user of one office adds to their own.
            del self.fields["office"]


def _with_current(queryset, current_pk):
    """Choices in use, plus the one the row has now (even if it was retired since)."""
    if current_pk is None:
        return queryset
    # The choices in scope, plus the row's own (in hand): the base manager (core/scoping.py).
    return queryset.model._base_manager.filter(Q(pk__in=queryset.values("pk")) | Q(pk=current_pk))


class FloorForm(NamesCheckedByServiceMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Floor
        fields = ["building", "name", "level"]

    def __init__(self, *args, buildings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = _with_current(
            buildings.filter(retired_on__isnull=True), self.instance.building_id
        )
        self.fields["building"].empty_label = None


class PlaceForm(NamesCheckedByServiceMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Place
        fields = ["floor", "name", "place_type", "section", "window", "sort_order"]

    def __init__(self, *args, user, floors, windows, **kwargs):
        super().__init__(*args, **kwargs)
        in_use = floors.filter(retired_on__isnull=True, building__retired_on__isnull=True)
        self.fields["floor"].queryset = _with_current(
            in_use, self.instance.floor_id
        ).select_related("building")
        self.fields["floor"].empty_label = None
        sections = office_sections(user)
        if not user_may(user, "inspections.manage_buildings"):
            # A section manager keeps the points of their own section.
            sections = sections.filter(pk=user.section_id)
        self.fields["section"].queryset = sections
        self.fields["window"].queryset = _with_current(
            windows.filter(is_active=True), self.instance.window_id
        ).select_related("section")
        self.fields["window"].label_from_instance = lambda w: f"{w.name}（{w.section.name}）"
        self.fields["window"].help_text = "窓口カウンターのときに選びます。"


class LocationStepForm(forms.Form):
    """Retire, take back into use, or delete: the version the editor loaded."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class PlaceFilterForm(forms.Form):
    retired = forms.BooleanField(label="廃止した場所も表示する", required=False)


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
