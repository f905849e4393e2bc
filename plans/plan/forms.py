"""Forms of the plans app. Forms of versioned records carry the version the editor loaded,
so that a save on top of someone else's change is refused (services.save_versioned)."""

from django import forms

from takatsu_portal.core.fiscal import FiscalYear, today
from takatsu_portal.core.versioning import VersionedFormMixin

from ..models import AnnualPlan


class PlanForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = AnnualPlan
        fields = ["fiscal_year", "title", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "title": "空欄の場合は「令和8年度 高津区役所サービス向上計画」のように付けます。",
            "summary": "計画の目的・重点・進め方など。区企画調整会議に報告する素案の本文です。",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        if self.instance.pk is not None:
            # The fiscal year of an existing plan never changes.
            del self.fields["fiscal_year"]
        else:
            current = FiscalYear.of(today()).year
            self.fields["fiscal_year"] = forms.TypedChoiceField(
                label="年度",
                coerce=int,
                choices=[(y, FiscalYear(y).label) for y in range(current - 1, current + 3)],
                initial=current,
            )


class DecisionForm(forms.Form):
    """A stage move of the plan: the comment is the recorded reason."""

    comment = forms.CharField(
        label="コメント（判断の理由）",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
