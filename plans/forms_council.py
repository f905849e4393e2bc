"""Forms of the working groups and of the council (区企画調整会議).

The subcommittee edits every field of a working group (WorkingGroupForm); the group's lead
edits only its purpose and members (WorkingGroupLeadForm), so a lead's post that carries a
new lead or a dissolution date changes nothing: the form has no such fields.
"""

from django import forms
from django.contrib.auth import get_user_model

from takatsu_portal.accounts.roles import Role, roles_of
from takatsu_portal.core.fiscal import FiscalYear, today
from takatsu_portal.core.forms import DATE_WIDGET
from takatsu_portal.core.versioning import VersionedFormMixin
from takatsu_portal.reports.models import ReportVersion

from .models import AgendaItem, AnnualPlan, CouncilMeeting, Proposal, Stage, WorkingGroup


def office_staff(office):
    """The office's active staff, in the order of the organisation chart."""
    return (
        get_user_model()
        .objects.filter(is_active=True, section__department__office=office)
        .select_related("section")
        .order_by(
            "section__department__sort_order",
            "section__sort_order",
            "section_id",
            "full_name_kana",
            "username",
        )
    )


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj}（{obj.section}）" if obj.section_id else str(obj)


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj}（{obj.section}）" if obj.section_id else str(obj)


# ---------------------------------------------------------------------------------------------
# Working groups


class WorkingGroupFilterForm(forms.Form):
    STATUS_CHOICES = [("", "すべて"), ("active", "活動中"), ("dissolved", "解散済み")]

    kind = forms.ChoiceField(
        label="種別", required=False, choices=[("", "すべて"), *WorkingGroup.Kind.choices]
    )
    status = forms.ChoiceField(label="状況", required=False, choices=STATUS_CHOICES)

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        if kind := self.cleaned_data["kind"]:
            queryset = queryset.filter(kind=kind)
        status = self.cleaned_data["status"]
        if status == "active":
            queryset = queryset.filter(dissolved_on__isnull=True)
        elif status == "dissolved":
            queryset = queryset.filter(dissolved_on__isnull=False)
        return queryset


class WorkingGroupLeadForm(VersionedFormMixin, forms.ModelForm):
    """What the group's own lead may change: the purpose and the members."""

    members = StaffMultipleChoiceField(
        label="メンバー",
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text="Ctrl キー（Mac は Command キー）を押しながら選ぶと、複数の職員を選べます。"
        "キーボードでは矢印キーで移動し、Ctrl＋スペースで選択を切り替えます。",
    )

    class Meta:
        model = WorkingGroup
        fields = ["purpose", "members"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.office = office
        self.fields["members"].queryset = office_staff(office)


class WorkingGroupForm(WorkingGroupLeadForm):
    """Every field of a working group: for the subcommittee, which sets groups up and
    dissolves them."""

    lead = StaffChoiceField(
        label="リーダー",
        queryset=get_user_model().objects.none(),
        help_text="「ワーキンググループリーダー」の役割を持つ職員を選んでください。",
    )

    class Meta:
        model = WorkingGroup
        fields = ["name", "kind", "purpose", "lead", "members", "established_on", "dissolved_on"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "established_on": DATE_WIDGET,
            "dissolved_on": DATE_WIDGET,
        }
        help_texts = {
            "kind": "課題検討ワーキングは、新たな課題に取り組むために設置し、"
            "解決したら解散します。",
            "dissolved_on": "解散するときに入力します。活動中は空欄にします。",
        }

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, office=office, **kwargs)
        self.fields["lead"].queryset = office_staff(office)
        if self.instance.pk is None:
            self.fields["established_on"].initial = today()

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        taken = WorkingGroup.objects.filter(office=self.office, name=name)
        if self.instance.pk is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("同じ名称のワーキンググループがすでにあります。")
        return name

    def clean_lead(self):
        lead = self.cleaned_data["lead"]
        if Role.WG_LEAD not in roles_of(lead):
            raise forms.ValidationError(
                f"{lead}さんは「{Role.WG_LEAD.label}」の役割を持っていません。"
                "リーダーにするには、先に管理者へ役割の付与を依頼してください。"
            )
        return lead

    def clean(self):
        cleaned = super().clean()
        established = cleaned.get("established_on")
        dissolved = cleaned.get("dissolved_on")
        if established and dissolved and dissolved < established:
            self.add_error("dissolved_on", "解散日は設置日より前にできません。")
        return cleaned


# ---------------------------------------------------------------------------------------------
# Council


def default_meeting_title(office):
    """「令和8年度 第2回区企画調整会議」: the next number in the current fiscal year."""
    fy = FiscalYear.of(today())
    held = CouncilMeeting.objects.filter(
        office=office, held_on__gte=fy.start, held_on__lte=fy.end
    ).count()
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


class ProposalChoiceField(forms.ModelMultipleChoiceField):
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
        widget=forms.SelectMultiple(attrs={"size": 8}),
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
