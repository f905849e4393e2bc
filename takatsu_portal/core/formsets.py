"""Inline formsets of a parent's own rows (a project's milestones, a question's choices).

Django's inline formset looks up the rows it shows, and the hidden id each posted row names,
through the child model's default manager: every office's rows. Under the office-scope guard
(core/scoping.py) that query refuses to run in a request, and a hand-typed id of another
ward's row would be a leak. `OwnRowsFormSet` reads both through the parent's related manager
(`project.milestones`, `question.choices`), which is scoped by the parent, itself loaded
through a scoped query; a posted id that is not one of the parent's rows is refused with
`row_gone`."""

from django import forms


class OwnRowsFormSet(forms.BaseInlineFormSet):
    # A posted row id that is not one of the parent's rows (deleted meanwhile, or typed by hand).
    row_gone = (
        "この行は見つかりません（他の人が削除した可能性があります）。画面を開き直してください。"
    )

    def __init__(self, data=None, files=None, instance=None, queryset=None, **kwargs):
        if queryset is None:
            if instance is not None and instance.pk is not None:
                queryset = getattr(instance, self.fk.remote_field.get_accessor_name()).all()
            else:
                queryset = self.model._default_manager.none()
        super().__init__(data, files, instance=instance, queryset=queryset, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        field = form.fields[self._pk_field.name]
        field.queryset = self.get_queryset()
        field.error_messages["invalid_choice"] = self.row_gone
