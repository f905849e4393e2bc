"""Forms of the council (区企画調整会議): meetings, agenda items, the report version
presented with an item, and the decision."""

from django import forms

from takatsu_portal.core.fiscal import FiscalYear, today
from takatsu_portal.core.forms import DATE_WIDGET, SearchableMultipleChoiceField
from takatsu_portal.reports.models import ReportVersion

from ..models import AgendaItem, AnnualPlan, CouncilMeeting, Proposal, Stage

# ---------------------------------------------------------------------------------------------
# Council


def default_meeting_title(office):
    """「令和8年度 第2回区企画調整会議」: the next number in the current fiscal year."""
    fy = FiscalYear.of(today())
    held = (
        CouncilMeeting.objects.for_office(office)
        .filter(held_on__gte=fy.start, held_on__lte=fy.end)
        .count()
    )
    return f"{fy.era_label} 第{held + 1}回区企画調整会議"


class MeetingForm(forms.ModelForm):
    class Meta:
        model = CouncilMeeting
        fields = ["title", "held_on", "place", "notes"]
        widgets = {"held_on": DATE_WIDGET, "notes": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"title": "例：令和8年度 第1回区企画調整会議"}


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.title}（{obj.get_stage_display()}・第{obj.version}版）"


class ProposalChoiceField(SearchableMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.plan.fy.label}：{obj.title}（{obj.get_status_display()}）"


# The stage a plan must be at for the council to decide on it under each subject.
SUBJECT_STAGE = {
    AgendaItem.Subject.PLAN: Stage.REPORTED,
    AgendaItem.Subject.PROJECTS: Stage.PROJECTS_DRAFTED,
}


class ReportVersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.choice_label


class PresentReportForm(forms.Form):
    """The report PDF presented for an undecided item (set, replaced or taken off before the
    meeting)."""

    report_version = ReportVersionChoiceField(
        label="提示する報告書（PDF）",
        queryset=ReportVersion.objects.none(),
        required=False,
        empty_label="（提示しない）",
    )

    def __init__(self, *args, report_versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report_version"].queryset = report_versions


class AgendaItemForm(forms.Form):
    title = forms.CharField(label="議題", max_length=200)
    subject = forms.ChoiceField(label="対象", choices=AgendaItem.Subject.choices)
    plan = PlanChoiceField(
        label="計画",
        queryset=AnnualPlan.objects.none(),
        required=False,
        empty_label="（選択してください）",
        help_text="計画の承認・事業の承認・事業企画案の審議では必ず選びます。"
        "会議に提示する版として、計画の現在の版が記録されます。",
    )
    proposals = ProposalChoiceField(
        label="事業企画案",
        queryset=Proposal.objects.none(),
        required=False,
        search_label="事業企画案を絞り込む",
        help_text="事業企画案の審議で、選んだ計画の事業企画案から選びます（複数可）。",
    )

    report_version = ReportVersionChoiceField(
        label="提示する報告書（PDF）",
        queryset=ReportVersion.objects.none(),
        required=False,
        empty_label="（なし）",
        help_text="報告書のページで作成した版から選びます。計画の承認では、"
        "報告書を作成したときの計画の版が、会議に提示した版として記録されます。",
    )

    def __init__(self, *args, plans, proposals, report_versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = plans
        self.fields["proposals"].queryset = proposals
        self.fields["report_version"].queryset = report_versions

    def clean(self):
        cleaned = super().clean()
        subject = cleaned.get("subject")
        plan = cleaned.get("plan")
        proposals = cleaned.get("proposals") or []
        if subject is None:
            return cleaned
        subject = AgendaItem.Subject(subject)
        if subject != AgendaItem.Subject.OTHER and plan is None:
            self.add_error("plan", f"「{subject.label}」の議題には計画を選んでください。")
            return cleaned
        stage = SUBJECT_STAGE.get(subject)
        if stage is not None and plan.stage != stage:
            self.add_error(
                "plan",
                f"「{subject.label}」の議題にできるのは「{stage.label}」の段階の計画です"
                f"（この計画は「{plan.get_stage_display()}」の段階です）。",
            )
        if subject == AgendaItem.Subject.PROPOSALS and not proposals:
            self.add_error("proposals", "審議する事業企画案を一つ以上選んでください。")
        if plan is not None:
            strays = [p for p in proposals if p.plan_id != plan.pk]
            if strays:
                self.add_error(
                    "proposals",
                    "選んだ計画の事業企画案だけを選んでください（"
                    + "、".join(p.title for p in strays)
                    + "）。",
                )
        elif proposals:
            self.add_error("plan", "事業企画案を選ぶときは、その計画も選んでください。")
        return cleaned


class AgendaDecisionForm(forms.Form):
    """The council's decision on one agenda item (未決定 is not a decision)."""

    decision = forms.ChoiceField(
        label="決定",
        choices=[c for c in AgendaItem.Decision.choices if c[0] != AgendaItem.Decision.PENDING],
    )
    comment = forms.CharField(
        label="コメント・条件・理由",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="条件付き承認では条件を、差し戻しでは理由を必ず入力します。",
    )

    def clean(self):
        cleaned = super().clean()
        decision = cleaned.get("decision")
        comment = (cleaned.get("comment") or "").strip()
        if decision == AgendaItem.Decision.CONDITIONAL and not comment:
            self.add_error("comment", "条件付き承認には、条件を入力してください。")
        elif decision == AgendaItem.Decision.RETURNED and not comment:
            self.add_error("comment", "差し戻しには、理由を入力してください。")
        return cleaned
