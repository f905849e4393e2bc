"""The form of a service window (窓口)."""

from django import forms

from takatsu_portal.core.forms import SectionChoiceField
from takatsu_portal.core.versioning import VersionedFormMixin

from ..models import ServiceWindow
from ..surveys.forms import _TranslationsMixin
from . import services

# ---------------------------------------------------------------------------------------------
# Windows


class WindowForm(_TranslationsMixin, VersionedFormMixin, forms.ModelForm):
    """A section manager is offered their own section only; the service checks it again. The
    name is translated like a question's text: residents pick their window by it. It carries
    the version the editor opened (a concurrent edit is refused and shown)."""

    translated_fields = {"name": ("窓口名", forms.TextInput, 100)}

    class Meta:
        model = ServiceWindow
        fields = ["section", "name", "location", "is_active", "sort_order"]
        field_classes = {"section": SectionChoiceField}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = services.sections_for_windows(user)
        self.fields["section"].empty_label = "選んでください"
        if not services.manages_every_section(user):
            self.fields["section"].help_text = "課長は自分の課の窓口だけを登録・編集できます。"
        self._add_translation_fields()

    def save(self, commit=True):
        self.instance.translations = self.translations_from(self.cleaned_data)
        return super().save(commit=commit)
