from django import forms
from django.contrib.auth.models import Group
from django.utils import timezone

from takatsu_portal.accounts.models import Department
from takatsu_portal.accounts.roles import Role
from takatsu_portal.core.fields import SingleLineCharField
from takatsu_portal.core.forms import DATE_WIDGET, office_sections
from takatsu_portal.core.versioning import VersionedFormMixin
from takatsu_portal.plain_language.widgets import PlainLanguageFormMixin

from .models import Article, Category, Importance, Issue


class IssueForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Issue
        fields = ["kind", "title"]
        help_texts = {
            "kind": "臨時号は、定例号の間に急ぎの記事を1件だけ載せるときに使います。",
            "title": "例：窓口サービス特集（号数は公開時に自動で付きます）",
        }


class ArticleForm(PlainLanguageFormMixin, VersionedFormMixin, forms.ModelForm):
    # The plain-language live check under the title and the body (advice, never a refusal).
    plain_language_fields = {"title": "standard", "body": "standard", "change_note": "standard"}

    attachment = forms.FileField(
        label="添付ファイル（任意）",
        required=False,
        help_text="PDF・画像・Word/Excel/PowerPoint・CSV・テキスト、10MBまで。",
    )
    reconfirm = forms.BooleanField(
        label="この変更は、もう一度「確認しました」を押してもらう必要がある（制度・手順の変更など）",
        required=False,
        help_text="誤字の修正など、内容が変わらない変更では付けないでください。",
    )
    change_note = SingleLineCharField(
        label="変更内容",
        max_length=300,
        required=False,
        help_text="読者に「更新あり」と一緒に表示されます。例：申請期限を4月30日に修正",
    )

    class Meta:
        model = Article
        fields = [
            "title",
            "body",
            "category",
            "importance",
            "order",
            "audience_all",
            "audience_departments",
            "audience_sections",
            "audience_roles",
            "required",
            "confirm_by",
        ]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 14}),
            "confirm_by": DATE_WIDGET,
            "audience_departments": forms.CheckboxSelectMultiple,
            "audience_sections": forms.CheckboxSelectMultiple,
            "audience_roles": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "audience_all": "外すと、下で選んだ部・課・役割の職員だけが対象になります。",
            "order": "号の中での並び順（小さい順）。空欄なら最後に追加します。",
        }

    def __init__(self, *args, office, published, **kwargs):
        super().__init__(*args, **kwargs)
        self.published = published
        # The issue's office's departments and sections (office-scoped: core/scoping.py).
        self.fields["audience_departments"].queryset = Department.objects.for_office(office)
        self.fields["audience_sections"].queryset = office_sections(office)
        self.fields["audience_roles"].queryset = Group.objects.filter(
            name__in=[role.label for role in Role]
        ).order_by("id")
        self.fields["order"].required = False
        if not published:
            del self.fields["reconfirm"]
            del self.fields["change_note"]
        else:
            self.fields["change_note"].required = True

    def clean(self):
        data = super().clean()
        if data.get("required") and not data.get("confirm_by"):
            self.add_error("confirm_by", "必読の記事には確認期限を入れてください。")
        if not data.get("audience_all") and not (
            data.get("audience_departments")
            or data.get("audience_sections")
            or data.get("audience_roles")
        ):
            self.add_error(
                "audience_all",
                "対象者を選んでください（全職員、又は部・課・役割のいずれか）。",
            )
        return data

    def audience(self):
        data = self.cleaned_data
        if data.get("audience_all"):
            return {"departments": [], "sections": [], "roles": []}
        return {
            "departments": data.get("audience_departments") or [],
            "sections": data.get("audience_sections") or [],
            "roles": data.get("audience_roles") or [],
        }


class PublishForm(forms.Form):
    WHEN_CHOICES = [("now", "今すぐ公開する"), ("at", "日時を指定して公開する（予約）")]
    when = forms.ChoiceField(label="公開の時期", choices=WHEN_CHOICES, widget=forms.RadioSelect)
    publish_at = forms.DateTimeField(
        label="公開日時",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def clean(self):
        data = super().clean()
        if data.get("when") == "at":
            at = data.get("publish_at")
            if at is None:
                self.add_error("publish_at", "公開日時を入れてください。")
            elif at <= timezone.now():
                self.add_error("publish_at", "公開日時は、今より後の日時を入れてください。")
        return data


class AttachmentForm(forms.Form):
    file = forms.FileField(label="添付ファイル")


class SearchForm(forms.Form):
    q = forms.CharField(label="検索する言葉", max_length=100, required=False)
    category = forms.ChoiceField(
        label="分類", choices=[("", "すべて"), *Category.choices], required=False
    )
    importance = forms.ChoiceField(
        label="重要度", choices=[("", "すべて"), *Importance.choices], required=False
    )
    fiscal_year = forms.TypedChoiceField(
        label="年度", coerce=int, required=False, empty_value=None, choices=[]
    )
    issue = forms.ModelChoiceField(label="号", queryset=Issue.objects.none(), required=False)

    def __init__(self, *args, issues, **kwargs):
        super().__init__(*args, **kwargs)
        from takatsu_portal.core.fiscal import FiscalYear

        self.fields["issue"].queryset = issues
        self.fields["issue"].empty_label = "すべて"
        years = sorted({y for y in issues.values_list("fiscal_year", flat=True) if y}, reverse=True)
        self.fields["fiscal_year"].choices = [("", "すべて")] + [
            (year, FiscalYear(year).label) for year in years
        ]
