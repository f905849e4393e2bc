"""Forms of project proposals (事業企画案): the proposal, the subcommittee's decision, the list's
filter; the yen field and the policy field the improvement form shares."""

import re
import unicodedata

from django import forms

from takatsu_portal.accounts.models import Section
from takatsu_portal.core.fiscal import FiscalYear, today
from takatsu_portal.core.forms import SectionChoiceField, office_sections
from takatsu_portal.core.models import InitiativeArea, Policy
from takatsu_portal.core.versioning import VersionedFormMixin
from takatsu_portal.plain_language.widgets import PlainLanguageTextarea, PlainLanguageTextInput

from ..models import AnnualPlan, Proposal, Stage, WorkingGroup

MAX_YEN = 10**12  # 1兆円: anything above is a typing mistake, not a budget


class YenField(forms.Field):
    """A whole-yen amount as people write it: "1,234,567", "１２３４５６７", "300000円"."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    default_error_messages = {
        "invalid": "金額は数字で入力してください（例：1,234,567）。円未満は入力できません。",
        "max_value": "金額が大きすぎます。円単位で入力してください。",
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        text = unicodedata.normalize("NFKC", str(value))
        text = re.sub(r"[\s,]", "", text).removesuffix("円")
        if not re.fullmatch(r"\d+", text):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        amount = int(text)
        if amount >= MAX_YEN:
            raise forms.ValidationError(self.error_messages["max_value"], code="max_value")
        return amount

    def prepare_value(self, value):
        return f"{value:,}" if isinstance(value, int) else value


def policy_field(label, *, required, office):
    """The basic policies of `office` (its own guideline), as checkboxes."""
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=Policy.objects.for_office(office),
        widget=forms.CheckboxSelectMultiple,
        required=required,
        error_messages={"required": "基本方針を一つ以上選んでください。"},
    )


# ---------------------------------------------------------------------------------------------
# Proposals


def open_plans(office):
    """The plans of an office that still take proposals (all but the closed ones)."""
    return AnnualPlan.objects.for_office(office).exclude(stage=Stage.CLOSED)


def next_fiscal_year():
    return FiscalYear.of(today()).year + 1


class NextYearPlanChoice:
    """A plan choice that also offers next fiscal year's plan before it exists (#10.1): the
    empty choice stands for it, and a checkbox confirms that it will be made as a draft.
    Proposals made during the year are next year's ideas; this year's plan under way no longer
    adopts any."""

    def offer_next_year(self, plans):
        field = self.fields["plan"]
        field.queryset = plans
        self.next_year = next_fiscal_year()
        self.next_plan_missing = not any(p.fiscal_year == self.next_year for p in plans) and (
            not AnnualPlan.objects.for_office(self.office_id)
            .filter(fiscal_year=self.next_year)
            .exists()
        )
        if self.next_plan_missing:
            era = FiscalYear(self.next_year).era_label
            field.required = False
            field.empty_label = f"{era}の計画（まだありません：素案として作成します）"
            self.fields["confirm_new_plan"] = forms.BooleanField(
                label=f"{era}の計画はまだありません。素案として作成し、そこへ提出します。",
                required=False,
                help_text="上で「まだありません」の計画を選んだときだけ、チェックしてください。",
            )
            # Right below the plan choice it confirms.
            names = list(self.fields)
            names.insert(names.index("plan") + 1, names.pop())
            self.order_fields(names)
        else:
            field.empty_label = None

    def check_next_year(self, cleaned):
        if "plan" not in self.fields or cleaned.get("plan") is not None:
            return
        if not self.next_plan_missing:
            if "plan" not in self.errors:
                self.add_error("plan", "計画を選んでください。")
            return
        if not cleaned.get("confirm_new_plan"):
            era = FiscalYear(self.next_year).era_label
            self.add_error(
                "confirm_new_plan",
                f"{era}の計画はまだありません。素案として作成する場合は確認欄にチェックしてください。",
            )


def default_plan_for_proposals(plans):
    """This year's plan while it still adopts proposals, else next year's (None when next
    year's plan does not exist yet: the choice that creates it)."""
    from .services import ADOPTABLE_STAGES

    current = FiscalYear.of(today()).year
    this_year = next((p for p in plans if p.fiscal_year == current), None)
    if this_year is not None and Stage(this_year.stage) in ADOPTABLE_STAGES:
        return this_year.pk
    return next((p.pk for p in plans if p.fiscal_year == current + 1), None)


class ProposalForm(NextYearPlanChoice, VersionedFormMixin, forms.ModelForm):
    """A proposal as its proposer writes it. The plan is chosen once, when submitting: the
    subcommittee may already have put the proposal on a council agenda for that plan."""

    budget_estimate = YenField(
        label="概算額（円）",
        help_text="円単位で入力してください（例：1,234,567）。",
    )

    class Meta:
        model = Proposal
        fields = [
            "plan",
            "title",
            "description",
            "policies",
            "initiative_area",
            "section",
            "working_group",
            "budget_estimate",
        ]
        field_classes = {"section": SectionChoiceField}
        widgets = {
            "title": PlainLanguageTextInput,
            "description": PlainLanguageTextarea(attrs={"rows": 6}),
        }
        help_texts = {
            "description": "目的、対象、進め方、期待する効果など。",
            "working_group": "ワーキンググループとして提案する場合に選んでください。",
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        office = user.office
        self.fields["policies"] = policy_field("基本方針", required=True, office=office)
        self.fields["initiative_area"].queryset = InitiativeArea.objects.for_office(office)
        self.fields["section"].queryset = (
            office_sections(office) if office is not None else Section.objects.none()
        )
        groups = WorkingGroup.objects.for_office(office).active()
        if self.instance.working_group_id:
            groups = groups | WorkingGroup.objects.for_office(office).filter(
                pk=self.instance.working_group_id
            )
        self.fields["working_group"].queryset = groups
        self.fields["working_group"].empty_label = "（なし：課として提案）"
        self.fields["initiative_area"].empty_label = "選んでください"
        self.fields["section"].empty_label = "選んでください"
        if self.instance.pk is None:
            self.office_id = office.pk
            plans = list(open_plans(office).order_by("-fiscal_year"))
            self.offer_next_year(open_plans(office).order_by("-fiscal_year"))
            self.fields["plan"].initial = default_plan_for_proposals(plans)
            self.fields["section"].initial = user.section_id
        else:
            del self.fields["plan"]

    def clean(self):
        cleaned = super().clean()
        self.check_next_year(cleaned)
        return cleaned


class AdoptForm(forms.Form):
    code = forms.CharField(
        label="事業コード",
        max_length=20,
        help_text="計画の中で一意の記号です。次の空き番号を入れてあります。",
        error_messages={"required": "事業コードを入力してください。"},
    )
    working_group = forms.ModelChoiceField(
        label="担当するワーキンググループ",
        queryset=WorkingGroup.objects.none(),
        required=False,
        empty_label="（提案どおり）",
        help_text="空欄の場合は、提案したワーキンググループ（あれば）が担当します。",
    )
    comment = forms.CharField(
        label="採択のコメント（提案者へ）",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "提案者へのコメントを入力してください。"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working_group"].queryset = WorkingGroup.objects.for_office(office).active()


class MoveForm(NextYearPlanChoice, forms.Form):
    """The subcommittee moves an undecided proposal to another plan of the office."""

    plan = forms.ModelChoiceField(
        label="移す先の計画",
        queryset=AnnualPlan.objects.none(),
        error_messages={
            "invalid_choice": "選べない計画です。この区役所の受付中の計画を選んでください。"
        },
    )
    comment = forms.CharField(
        label="提案者へのコメント（任意）",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.office_id = proposal.plan.office_id
        plans = (
            open_plans(proposal.plan.office).exclude(pk=proposal.plan_id).order_by("-fiscal_year")
        )
        self.offer_next_year(plans)
        self.fields["plan"].initial = next(
            (p.pk for p in plans if p.fiscal_year == self.next_year), None
        )

    def clean(self):
        cleaned = super().clean()
        self.check_next_year(cleaned)
        return cleaned


class WithdrawForm(forms.Form):
    """The proposer confirms taking back a proposal, and says why (the subcommittee reads it
    on the proposal and in its notification; the history keeps it)."""

    reason = forms.CharField(
        label="取り下げる理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="推進部会に伝わります。例：別の提案にまとめて出し直すため。",
        error_messages={"required": "取り下げる理由を入力してください。"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="差し戻しの理由・修正してほしい点",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "差し戻しの理由を入力してください。"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class RejectForm(forms.Form):
    comment = forms.CharField(
        label="不採択の理由",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "不採択の理由を入力してください。"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ProposalFilterForm(forms.Form):
    """The filters of the proposal list. An absent `plan` means the current year's plan; an
    empty one means all plans."""

    plan = forms.ModelChoiceField(
        label="計画", queryset=AnnualPlan.objects.none(), required=False, empty_label="すべての計画"
    )
    status = forms.ChoiceField(
        label="状況", choices=[("", "すべて"), *Proposal.Status.choices], required=False
    )
    section = SectionChoiceField(
        label="提案課", queryset=Section.objects.none(), required=False, empty_label="すべての課"
    )

    def __init__(self, *args, plans, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["section"].queryset = sections
