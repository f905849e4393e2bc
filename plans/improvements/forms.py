"""Forms of individual improvements (個別業務の改善): the record, the section manager's
acknowledgement, the list's filter."""

from django import forms

from takatsu_portal.core.fiscal import today
from takatsu_portal.core.forms import DATE_WIDGET
from takatsu_portal.core.versioning import VersionedFormMixin

from ..models import Improvement
from ..proposals.forms import policy_field
from .services import NO_SECTION

# ---------------------------------------------------------------------------------------------
# Individual improvements


class ImprovementForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Improvement
        fields = ["title", "recorded_on", "problem", "change", "effect", "related_goal", "policies"]
        widgets = {
            "recorded_on": DATE_WIDGET,
            "problem": forms.Textarea(attrs={"rows": 4}),
            "change": forms.Textarea(attrs={"rows": 4}),
            "effect": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "title": "何を改善したかが分かる短い件名（例：申請書記入例の掲示）。",
            "problem": "改善する前に困っていたこと、区民や職員にとっての不便。",
            "change": "何を、どのように変えたか。他の課がまねできるように具体的に。",
            "effect": "待ち時間、件数、手間など、分かる範囲で数字も。",
            "related_goal": "課の目標のうち、この改善が関わるもの。",
        }

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.office = office
        self.fields["policies"] = policy_field("関連する基本方針", required=False, office=office)
        if self.instance.pk is None:
            self.fields["recorded_on"].initial = today()

    def clean(self):
        data = super().clean()
        if self.office is None:
            # The office's own policies are the choices: without a section there are none.
            raise forms.ValidationError(NO_SECTION)
        return data


class AcknowledgeForm(forms.Form):
    comment = forms.CharField(
        label="課長のコメント（任意）",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    good_practice = forms.BooleanField(
        label="優良事例として共有",
        required=False,
        help_text="区役所全体の「優良事例」一覧に載せ、他の課が参考にできるようにします。",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


IMPROVEMENT_SCOPES = [("mine", "自分の記録"), ("section", "課の記録"), ("all", "すべて")]
IMPROVEMENT_STATUSES = [("", "すべて"), ("pending", "確認待ち"), ("acknowledged", "確認済み")]


class ImprovementFilterForm(forms.Form):
    status = forms.ChoiceField(label="状況", choices=IMPROVEMENT_STATUSES, required=False)
    q = forms.CharField(label="キーワード", max_length=100, required=False)
