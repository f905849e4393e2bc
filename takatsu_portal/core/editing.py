"""The editing steps every app's views share: a conflict-aware save of an edit form (or of a
create or entry form, which hands back what it made), a conflict-aware POST step of a workflow,
and a service's ValidationError put on a form. Views catch no ValidationError themselves
(tests/test_views_explain.py checks it): a refusal is explained here, the same way
everywhere."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError

from .versioning import ConflictError


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
    return create_or_explain(request, form, save)[1]


def create_or_explain(request, form, create):
    """`save_or_explain` for a form whose service makes something the view goes on with (the
    new record to redirect to, or to name in the message): returns `(created, None)` when
    `create()` ran, `created` being what it returned, and `(None, context)` when it did not,
    with the same context as `save_or_explain` (the service's refusal put on the form's fields,
    or on the form as a whole; a create has no version, so no conflict, but an edit through
    the same form explains one as `save_or_explain` does)."""
    try:
        created = create()
    except ConflictError as error:
        return None, conflict_context(request, form, error)
    except ValidationError as error:
        add_validation_error(form, error)
        return None, {}
    return created, None


@dataclass(frozen=True)
class Step:
    """How a `run_step` went. True when the caller should redirect to the record (`redirect`):
    the step was `done`, or someone else changed the record first. `result` is what the
    service returned when it was done (the record the step made, to redirect to), else None."""

    done: bool
    redirect: bool
    result: Any = None

    def __bool__(self):
        return self.redirect


def run_step(request, form, action, *, success):
    """The POST step of a workflow (assign, decide, acknowledge, copy, delete, ...): validate
    `form`, run `action(cleaned_data)` (the service call) and say how it went.

    Returns a `Step`, true when the caller should redirect to the record: the step was done
    (the `success` message, or `success(result)`, is shown; None shows nothing) or someone else
    changed the record first (the conflict is explained; the person looks at the current
    version and decides again). It is false when the step was not done: the form was invalid,
    or the service refused with a ValidationError, which is put on the form's fields, and the
    caller shows the form again (status 400). A step that makes a record (next year's plan, a
    progress report) redirects to `step.result` when `step.done`.

    A step with nothing to fill in (a button) passes `form=None`: `action()` is called without
    arguments, and a refusal is shown as a message, since there is no form to show it on; the
    caller redirects either way.
    """
    if form is not None and not form.is_valid():
        return Step(done=False, redirect=False)
    try:
        result = action() if form is None else action(form.cleaned_data)
    except ConflictError as error:
        messages.error(request, f"{error}　最新の内容を確認してから、もう一度操作してください。")
        return Step(done=False, redirect=True)
    except ValidationError as error:
        if form is None:
            messages.error(request, " ".join(error.messages))
        else:
            add_validation_error(form, error)
        return Step(done=False, redirect=False)
    message = success(result) if callable(success) else success
    if message:
        messages.success(request, message)
    return Step(done=True, redirect=True, result=result)
