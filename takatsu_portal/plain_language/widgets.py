"""The live plain-language check in any form: one import.

    from takatsu_portal.plain_language.widgets import PlainLanguageFormMixin

    class ArticleForm(PlainLanguageFormMixin, forms.ModelForm):
        plain_language_fields = {"title": "standard", "body": "standard", "body_easy": "easy"}

or, for one field, a widget:

    from takatsu_portal.plain_language.widgets import PlainLanguageTextarea
    body = forms.CharField(widget=PlainLanguageTextarea(attrs={"rows": 8}))

The field then carries `data-plain-language` (the profile: "standard", or "easy" for
やさしい日本語 with stricter thresholds) and the address of the live check. The page's
script (static/js/plain_language.js, loaded by base.html) checks the text as the person
types (debounced), lists the findings under the field with a one-click replacement, and never
stops the form from being sent: the check is advice, not validation.
"""

from django import forms
from django.urls import reverse_lazy

from .checker import PROFILES


def plain_language_attrs(profile="standard"):
    if profile not in PROFILES:
        raise ValueError(f"unknown plain-language profile {profile!r}")
    return {
        "data-plain-language": profile,
        "data-plain-language-url": reverse_lazy("plain_language:live"),
    }


class PlainLanguageTextarea(forms.Textarea):
    def __init__(self, attrs=None, profile="standard"):
        super().__init__({**plain_language_attrs(profile), **(attrs or {})})


class PlainLanguageTextInput(forms.TextInput):
    def __init__(self, attrs=None, profile="standard"):
        super().__init__({**plain_language_attrs(profile), **(attrs or {})})


def enable_plain_language(form, fields):
    """Turn on the live check on `fields` of `form` ({field name: profile}); names the form
    does not have are skipped (a field left out for this user)."""
    for name, profile in fields.items():
        field = form.fields.get(name)
        if field is not None:
            field.widget.attrs.update(plain_language_attrs(profile))


class PlainLanguageFormMixin:
    """Turns on the live check on the form's `plain_language_fields` ({name: profile}), also on
    fields the form's own __init__ adds after super() (they are set when a field is rendered)."""

    plain_language_fields: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.enable_plain_language()

    def __getitem__(self, name):
        profile = self.plain_language_fields.get(name)
        if profile is not None and name in self.fields:
            self.fields[name].widget.attrs.update(plain_language_attrs(profile))
        return super().__getitem__(name)

    def enable_plain_language(self):
        enable_plain_language(self, self.plain_language_fields)
