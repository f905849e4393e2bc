"""The form of the year-end evaluation (年度末評価)."""

from django import forms

from takatsu_portal.core.versioning import VersionedFormMixin

from ..models import YearEndEvaluation


class EvaluationForm(VersionedFormMixin, forms.ModelForm):
    """The subcommittee's year-end evaluation of one project."""

    class Meta:
        model = YearEndEvaluation
        fields = ["grade", "reason", "decision"]
        widgets = {
            "grade": forms.RadioSelect,
            "decision": forms.RadioSelect,
            "reason": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "reason": "指標の達成状況や取組の結果など、評価の根拠を書いてください。",
            "decision": (
                "「継続」「見直して継続」の事業は、次年度の計画を作成するときに引き継がれます。"
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Radio lists without Django's "---------" entry: a choice is required.
        for name in ("grade", "decision"):
            self.fields[name].choices = [
                c for c in self.fields[name].choices if c[0] not in ("", None)
            ]
