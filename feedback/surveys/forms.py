"""Forms of surveys and questions.

Translations are typed one field per language beside the Japanese text; an empty field falls
back to Japanese on the public form. The choices of a question are rows of an inline formset;
their translations are one textarea per language, one line per choice in the rows' order, so
that a translator can fill in a whole list at once.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row
from django import forms

from takatsu_portal.core.forms import DATE_WIDGET
from takatsu_portal.core.formsets import OwnRowsFormSet
from takatsu_portal.core.versioning import VersionedFormMixin
from takatsu_portal.plain_language.widgets import PlainLanguageFormMixin

from ..models import LANGUAGES, Choice, Question, ServiceWindow, Survey
from ..responses.forms import html_lang

# The languages a text can be translated into (Japanese is the text itself).
TRANSLATION_LANGUAGES = [(code, name) for code, name in LANGUAGES if code != "ja"]
TRANSLATION_NOTE = HTML(
    '<p class="small text-body-secondary">空欄の言語は、公開フォームで日本語の文が表示されます。'
    "言語を選ぶ欄には、題名か説明に訳のある言語だけが表示されます。</p>"
)


def translation_name(field, code):
    return f"{field}_{code.replace('-', '_')}"


class _TranslationsMixin:
    """Adds `<field>_<language>` fields for each translated field, filled from and written
    back to the instance's `translations` JSON."""

    translated_fields = {}  # field name → (label, widget factory)

    def _add_translation_fields(self):
        translations = self.instance.translations or {}
        for code, name in TRANSLATION_LANGUAGES:
            for field, (label, widget, max_length) in self.translated_fields.items():
                entry = widget()
                entry.attrs["lang"] = html_lang(code)
                self.fields[translation_name(field, code)] = forms.CharField(
                    label=f"{label}（{name}）",
                    required=False,
                    max_length=max_length,
                    widget=entry,
                    initial=(translations.get(code) or {}).get(field, ""),
                )

    def translations_from(self, cleaned_data):
        result = {}
        for code, _ in TRANSLATION_LANGUAGES:
            texts = {
                field: cleaned_data.get(translation_name(field, code), "").strip()
                for field in self.translated_fields
            }
            texts = {k: v for k, v in texts.items() if v}
            if texts:
                result[code] = texts
        return result

    def translation_fieldsets(self):
        return [
            Fieldset(
                name,
                *[translation_name(field, code) for field in self.translated_fields],
            )
            for code, name in TRANSLATION_LANGUAGES
        ]


# ---------------------------------------------------------------------------------------------
# Surveys


class WindowChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        where = f"（{obj.location}）" if obj.location else ""
        inactive = "［使用停止中］" if not obj.is_active else ""
        return f"{obj.section.name}：{obj.name}{where}{inactive}"


class SurveyForm(PlainLanguageFormMixin, _TranslationsMixin, VersionedFormMixin, forms.ModelForm):
    plain_language_fields = {
        "title": "standard",
        "introduction": "standard",
        "title_ja_easy": "easy",
        "introduction_ja_easy": "easy",
    }
    translated_fields = {
        "title": ("題名", forms.TextInput, 200),
        "introduction": ("はじめの説明", lambda: forms.Textarea(attrs={"rows": 3}), 2000),
    }

    class Meta:
        model = Survey
        fields = ["title", "introduction", "opens_on", "closes_on", "windows"]
        widgets = {
            "introduction": forms.Textarea(attrs={"rows": 4}),
            "opens_on": DATE_WIDGET,
            "closes_on": DATE_WIDGET,
            "windows": forms.CheckboxSelectMultiple,
        }
        field_classes = {"windows": WindowChoiceField}
        help_texts = {
            "introduction": "公開フォームの最初に表示する文です。目的や所要時間などを書きます。",
            "windows": "QRコードのポスターを置く窓口。回答者が「利用した窓口」を選ぶ質問の"
            "選択肢にもなります（選ばない場合は区役所の使用中の窓口すべて）。",
        }

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        selected = self.instance.windows.all() if self.instance.pk else []
        self.fields["windows"].queryset = (
            ServiceWindow.objects.for_office(office)
            .filter(Q(is_active=True) | Q(pk__in=[w.pk for w in selected]))
            .select_related("section")
            .order_by("section__department__sort_order", "section__sort_order", "sort_order", "id")
        )
        self.fields["windows"].required = False
        self._add_translation_fields()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "title",
            "introduction",
            Row(
                Column("opens_on", css_class="col-md-4"), Column("closes_on", css_class="col-md-4")
            ),
            "windows",
            "version",
            Fieldset("翻訳", TRANSLATION_NOTE, *self.translation_fieldsets()),
        )

    def clean(self):
        cleaned = super().clean()
        opens_on, closes_on = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens_on and closes_on and closes_on < opens_on:
            self.add_error("closes_on", "終了日は開始日以降の日付にしてください。")
        return cleaned

    def translations(self):
        return self.translations_from(self.cleaned_data)


# ---------------------------------------------------------------------------------------------
# Questions


class QuestionForm(PlainLanguageFormMixin, _TranslationsMixin, forms.ModelForm):
    plain_language_fields = {
        "text": "standard",
        "help_text": "standard",
        "text_ja_easy": "easy",
        "help_text_ja_easy": "easy",
    }
    translated_fields = {
        "text": ("質問", forms.TextInput, 300),
        "help_text": ("補足", forms.TextInput, 300),
    }

    class Meta:
        model = Question
        fields = ["kind", "text", "help_text", "required", "min_value", "max_value"]
        help_texts = {
            "kind": "満足度は5段階（満足〜不満）で答えます。"
            "「利用した窓口・手続き」はアンケートの窓口から選びます（一つのアンケートに一つ）。",
            "min_value": "「数値」の質問のみ。空欄なら制限しません。",
            "max_value": "「数値」の質問のみ。空欄なら制限しません。",
        }

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._add_translation_fields()
        # Choices' translations: one line per choice, in the order of the rows below.
        for code, name in TRANSLATION_LANGUAGES:
            self.fields[translation_name("choices", code)] = forms.CharField(
                label=f"選択肢（{name}）",
                required=False,
                strip=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3, "lang": html_lang(code)}),
                help_text="1行に1つ、選択肢の順番どおりに。訳さない選択肢は空行にします。",
                initial="\n".join(
                    (c.translations.get(code) or {}).get("text", "") for c in choices
                ).rstrip("\n"),
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            "kind",
            "text",
            "help_text",
            "required",
            Row(
                Column("min_value", css_class="col-md-4"), Column("max_value", css_class="col-md-4")
            ),
        )
        self.translation_helper = FormHelper()
        self.translation_helper.form_tag = False
        self.translation_helper.disable_csrf = True
        self.translation_helper.layout = Layout(
            TRANSLATION_NOTE,
            *[
                Fieldset(
                    name,
                    translation_name("text", code),
                    translation_name("help_text", code),
                    translation_name("choices", code),
                )
                for code, name in TRANSLATION_LANGUAGES
            ],
        )

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_value"), cleaned.get("max_value")
        if low is not None and high is not None and low > high:
            self.add_error("max_value", "最大値は最小値以上にしてください。")
        return cleaned

    def choice_lines(self, code):
        value = self.cleaned_data.get(translation_name("choices", code), "")
        lines = [line.strip() for line in value.replace("\r\n", "\n").split("\n")]
        while lines and not lines[-1]:
            lines.pop()
        return lines

    def translations(self):
        return self.translations_from(self.cleaned_data)


class ChoiceForm(forms.ModelForm):
    class Meta:
        model = Choice
        fields = ["text", "order"]
        labels = {"text": "選択肢（日本語）"}
        help_texts = {"order": "空欄なら最後に"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False
        if self.instance.pk is None:
            self.initial["order"] = None


class _RowHelper(FormHelper):
    def __init__(self):
        super().__init__()
        self.form_tag = False
        self.disable_csrf = True
        self.layout = Layout(
            Row(
                Column("text", css_class="col-md-8"),
                Column("order", css_class="col-md-2"),
                Column("DELETE", css_class="col-md-2"),
            )
        )


class BaseChoiceFormSet(OwnRowsFormSet):
    """A question's choices: its own only (core/formsets.py); a row naming another question's
    choice is refused."""

    row_gone = (
        "この選択肢はこの質問にありません（他の人が削除した可能性があります）。"
        "画面を開き直してください。"
    )


ChoiceFormSet = forms.inlineformset_factory(
    Question, Choice, form=ChoiceForm, formset=BaseChoiceFormSet, extra=2, can_delete=True
)
ChoiceFormSet.helper = _RowHelper()


def choices_from(form, formset):
    """The wanted choices for services.question_save: the formset's rows that are kept, in
    their 順番 (then row) order, each with its translations from the per-language lines.
    Puts an error on the form and returns None when a language has more lines than choices."""
    rows = []
    for index, row in enumerate(formset.forms):
        data = getattr(row, "cleaned_data", None) or {}
        if not data or data.get("DELETE") or not (data.get("text") or "").strip():
            continue
        order = data.get("order")
        order = 100_000 + index if order is None else order
        pk = row.instance.pk if row.instance and row.instance.pk else None
        rows.append((order, index, {"pk": pk, "text": data["text"].strip(), "translations": {}}))
    rows.sort(key=lambda r: (r[0], r[1]))
    choices = [spec for _, _, spec in rows]
    problem = False
    for code, name in TRANSLATION_LANGUAGES:
        lines = form.choice_lines(code)
        if len(lines) > len(choices):
            form.add_error(
                translation_name("choices", code),
                f"{name}の行（{len(lines)}行）が選択肢の数（{len(choices)}）より多くなっています。",
            )
            problem = True
            continue
        for spec, line in zip(choices, lines, strict=False):
            if line:
                spec["translations"][code] = {"text": line}
    return None if problem else choices
