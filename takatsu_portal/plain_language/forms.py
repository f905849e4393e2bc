from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings

from takatsu_portal.core.versioning import VersionedFormMixin

from .checker import PROFILES
from .models import Category, Term
from .widgets import PlainLanguageTextarea


class CheckForm(forms.Form):
    text = forms.CharField(
        label="点検する文",
        widget=PlainLanguageTextarea(attrs={"rows": 10}),
        help_text="窓口の掲示、区民への手紙、メールの下書きなどを貼り付けてください。",
    )
    profile = forms.ChoiceField(
        label="基準",
        choices=list(PROFILES.items()),
        initial="standard",
        help_text="やさしい日本語の文は、文の長さや漢字の続きをより厳しく点検します。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_text(self):
        text = self.cleaned_data["text"]
        limit = settings.PLAIN_LANGUAGE_MAX_TEXT_CHARS
        if len(text) > limit:
            raise forms.ValidationError(
                f"{limit:,}文字までの文を点検できます（いまは{len(text):,}文字）。分けて点検してください。"
            )
        return text


class TermForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Term
        fields = [
            "term",
            "reading",
            "category",
            "alternatives",
            "explanation",
            "example",
            "variants",
            "auto_replace",
            "is_active",
        ]
        widgets = {
            "alternatives": forms.Textarea(attrs={"rows": 3}),
            "explanation": forms.Textarea(attrs={"rows": 3}),
            "example": forms.Textarea(attrs={"rows": 2}),
            "variants": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "term": "「～を行う」のように、前に続く言葉は「～」で表します"
            "（点検では読み飛ばします）。",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = list(Category.choices)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def clean_term(self):
        term = self.cleaned_data["term"].strip()
        if not term.replace("～", "").strip():
            raise forms.ValidationError("用語を入力してください（「～」だけでは点検できません）。")
        return term

    def clean_alternatives(self):
        lines = [line.strip() for line in self.cleaned_data["alternatives"].splitlines()]
        lines = [line for line in lines if line]
        if not lines:
            raise forms.ValidationError("言い換えを1つ以上入力してください。")
        return "\n".join(lines)

    def clean_variants(self):
        lines = [line.strip() for line in self.cleaned_data["variants"].splitlines()]
        return "\n".join(line for line in lines if line)


class TermFilterForm(forms.Form):
    q = forms.CharField(label="検索", required=False)
    category = forms.ChoiceField(
        label="分類", required=False, choices=[("", "すべて"), *Category.choices]
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="ファイル（CSV又は.xlsx）",
        help_text="書き出したファイルと同じ列。用語が同じ行は上書き、新しい用語は追加します。",
    )
