from django import forms


class AnnualPlanReportForm(forms.Form):
    plan = forms.ModelChoiceField(queryset=None, label="計画", empty_label=None)

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["plan"].label_from_instance = lambda p: f"{p.fiscal_year}年度 {p.title}"
