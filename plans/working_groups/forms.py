"""Forms of the working groups.

The subcommittee edits every field of a working group (WorkingGroupForm); the group's lead
edits only its purpose and members (WorkingGroupLeadForm), so a lead's post that carries a
new lead or a dissolution date changes nothing: the form has no such fields.
"""

from django import forms
from django.contrib.auth import get_user_model

from takatsu_portal.accounts.roles import Role, roles_of
from takatsu_portal.core.fiscal import today
from takatsu_portal.core.forms import DATE_WIDGET, SearchableMultipleChoiceField
from takatsu_portal.core.versioning import VersionedFormMixin

from ..models import WorkingGroup


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


class StaffMultipleChoiceField(SearchableMultipleChoiceField):
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
        search_label="職員を絞り込む（氏名・課）",
        help_text="メンバーにする職員を選びます（いくつでも選べます）。",
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
        taken = WorkingGroup.objects.for_office(self.office).filter(name=name)
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
