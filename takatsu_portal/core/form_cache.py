"""Blank forms rendered once and shared.

A blank form (not bound to a POST) whose choices come from the database costs a page two
queries per choice field (Django's Select asks its choices once for the `required` attribute and
once for the options) and the crispy template pack's field templates for every field: on the
reports page (a form per report kind) and a council meeting (the form to add an agenda item)
that is most of the page's time. The same blank form looks the same for everyone whose choices
are the same (the office scope and the roles that narrow them), so its HTML is kept with the
shared content (core/shared_cache.py: until the data generation moves or the day changes).

    html = crispy_shared("agenda-item", (scope_part(user), sorted(roles_of(user))),
                         lambda: AgendaItemForm(...))

The HTML holds the fields only: the template keeps `<form>` and `{% csrf_token %}` around it
(a token must never be shared). A bound form (a refused POST with its errors) is rendered
as usual, never cached.

`choices_once(form)` is the cheaper half for forms that are not shared (a filter form that
shows the user's own values): each model choice field's options are read once, not twice.
"""

from django.forms.models import ModelChoiceIterator

from .shared_cache import shared_value, shared_values


def choices_once(form):
    """Read each model choice field's options once per rendering instead of twice (Select's
    `use_required_attribute` and `optgroups` each iterate the choices, a query each time).
    Call it after the form has set its fields' querysets; returns the form."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(getattr(widget, "choices", None), ModelChoiceIterator):
            # Through iter(): list() of the iterator itself would first ask its len(), a
            # COUNT query of its own.
            widget.choices = list(iter(widget.choices))
    return form


def crispy_html(form):
    """The form's fields as the `|crispy` filter renders them."""
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form

    from .shared_cache import compact

    return compact(str(as_crispy_form(choices_once(form))))


def crispy_shared(name, parts, form_factory):
    """The `|crispy` HTML of the blank form `form_factory()` makes, kept for the same `parts`
    (everything its choices depend on besides the data: office scope, roles...). The factory is
    called only when the cache has no copy, so a cached form costs no query."""
    from django.utils.safestring import mark_safe

    html = shared_value(f"form:{name}", parts, lambda: str(crispy_html(form_factory())))
    return mark_safe(html)  # noqa: S308  (HTML the crispy templates rendered, escaped there)


def crispy_shared_many(items):
    """`crispy_shared(name, parts, form_factory)` of each (name, parts, form_factory) of
    `items`, read in one round trip (a page with a blank form per kind)."""
    from django.utils.safestring import mark_safe

    htmls = shared_values(
        (f"form:{name}", parts, lambda factory=factory: str(crispy_html(factory())))
        for name, parts, factory in items
    )
    return [mark_safe(html) for html in htmls]  # noqa: S308  (rendered by the crispy templates)
