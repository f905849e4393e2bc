"""Pieces the plans views share."""

from django.contrib import messages


def conflict_context(request, form, error):
    """Keep the editor's input, tell them someone else saved first, and show what changed.

    The form's version becomes the current one, so saving again overwrites knowingly.
    """
    messages.error(
        request,
        f"{error}　あなたの入力内容は下に残っています。他の人の変更を確認してから、"
        "必要なら内容を直して、もう一度保存してください。",
    )
    form.adopt_current_version(error.current.version)
    return {"conflict": error, "conflict_entries": error.other_changes()}


def add_validation_error(form, error):
    """Put a service's ValidationError on the form: on its field when the form has that field,
    otherwise on the form as a whole."""
    if hasattr(error, "error_dict"):
        for field, field_messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_messages)
    else:
        form.add_error(None, error.messages)


def save_or_explain(request, form, save):
    """Run `save` (the service call of a valid form). Returns None when it saved; otherwise the
    context to show the form again with: the other person's changes when someone saved first
    (ConflictError), or the service's errors put on the form (ValidationError)."""
    from django.core.exceptions import ValidationError

    from ..services import ConflictError

    try:
        save()
    except ConflictError as error:
        return conflict_context(request, form, error)
    except ValidationError as error:
        add_validation_error(form, error)
        return {}
    return None
