"""Forms of good practices shared city-wide: the list's filters, the share/withdraw step,
and the copy into a proposal (plan, the office's own policies mapped by number, area)."""

from django import forms

from takatsu_portal.accounts.models import Office
from takatsu_portal.core.fiscal import FiscalYear
from takatsu_portal.core.models import InitiativeArea, Policy

from ..models import AnnualPlan
from ..proposals.forms import policy_field

YEARS_LISTED = 5


class PracticeFilterForm(forms.Form):
    office = forms.ModelChoiceField(
        label="区役所", queryset=Office.objects.none(), required=False, empty_label="すべての区"
    )
    policy = forms.TypedChoiceField(label="基本方針", coerce=int, required=False, empty_value=None)
    year = forms.TypedChoiceField(label="年度", coerce=int, required=False, empty_value=None)
    q = forms.CharField(label="キーワード", max_length=100, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        own = user.office
        offices = Office.objects.all()
        if own is not None:
            offices = offices.exclude(pk=own.pk)
        self.fields["office"].queryset = offices
        # Policies are numbered alike in every ward's guideline: the user's own titles (the
        # city's template for the city) name the numbers.
        self.fields["policy"].choices = [("", "すべての方針")] + [
            (p.number, f"{p.number}. {p.title}") for p in Policy.objects.for_office(own)
        ]
        current = FiscalYear.current()
        years = [FiscalYear(current.year - n) for n in range(YEARS_LISTED)]
        self.fields["year"].choices = [("", "すべての年度")] + [(fy.year, fy.label) for fy in years]


class ShareForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CopyForm(forms.Form):
    """What the planner chooses when copying: the plan of their office that takes the
    proposal, their office's policies (preset to the practice's policy numbers) and area."""

    plan = forms.ModelChoiceField(
        label="提出先の計画",
        queryset=AnnualPlan.objects.none(),
        error_messages={
            "required": "提出先の計画を選んでください。",
            "invalid_choice": (
                "選べない計画です。提案を受け付けている自分の区役所の計画を選んでください。"
            ),
        },
    )
    initiative_area = forms.ModelChoiceField(
        label="具体的な取組",
        queryset=InitiativeArea.objects.none(),
        empty_label="選んでください",
        error_messages={"required": "具体的な取組を選んでください。"},
    )

    def __init__(self, *args, office, plans, practice, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["plan"].empty_label = None if len(plans) == 1 else "選んでください"
        self.fields["policies"] = policy_field("基本方針", required=True, office=office)
        self.fields["policies"].help_text = (
            "取り込み元の区の基本方針と同じ番号の、あなたの区役所の方針を選んであります。"
            "必要に応じて選び直してください。"
        )
        self.fields["initiative_area"].queryset = InitiativeArea.objects.for_office(office)
        self.order_fields(["plan", "policies", "initiative_area"])
        if not self.is_bound:
            numbers = {p.number for p in practice.policies.all()}
            self.initial.setdefault(
                "policies",
                [p.pk for p in self.fields["policies"].queryset if p.number in numbers],
            )
            individual = next(
                (
                    a.pk
                    for a in self.fields["initiative_area"].queryset
                    if a.scope == InitiativeArea.Scope.INDIVIDUAL
                ),
                None,
            )
            self.initial.setdefault("initiative_area", individual)
