"""Single-line text: one line, no control characters, wherever it comes from.

A title or a name is shown in a page, a CSV cell, a PDF, and the subject of a notification
mail; a line break or a control character posted in it (`件名\\r\\nBcc: …`) breaks the mail
header and means nothing in the others. `one_line` makes any string one clean line, and
`SingleLineCharField` is the form field that applies it. `use_single_line_fields` (called once
by core's AppConfig) makes every single-line CharField of the portal's models use that form
field, so every ModelForm (the portal's own and the admin's) cleans them without each form
saying so.
"""

import functools
import re

from django import forms
from django.db import models

# C0 and C1 control characters (tab, CR, LF, ESC, DEL, NEL, ...) and the Unicode line and
# paragraph separators. The ideographic space U+3000 is ordinary Japanese text and stays.
_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(value):
    """`value` as one line: each run of line breaks and control characters becomes one space,
    and the ends are stripped."""
    if value is None:
        return ""
    return _BREAKS.sub(" ", str(value)).strip(" ")


class SingleLineCharField(forms.CharField):
    """A CharField whose value is one line (see `one_line`)."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return one_line(value)


def _single_line_formfield(original, **kwargs):
    kwargs.setdefault("form_class", SingleLineCharField)
    return original(**kwargs)


def use_single_line_fields(app_configs):
    """Make the plain CharFields (not choices, slugs, e-mail or URL fields, which have their
    own form fields) of the models of `app_configs` build a SingleLineCharField in any
    ModelForm. Called once, before the first form class is built."""
    for app_config in app_configs:
        for model in app_config.get_models():
            for field in model._meta.get_fields():
                if type(field) is models.CharField and not getattr(field, "_single_line", False):
                    field.formfield = functools.partial(_single_line_formfield, field.formfield)
                    field._single_line = True


def portal_app_configs(apps):
    """The project's own apps (not Django's, not an installed package's)."""
    return [
        a
        for a in apps.get_app_configs()
        if not a.name.startswith("django.") and "site-packages" not in str(a.path)
    ]
