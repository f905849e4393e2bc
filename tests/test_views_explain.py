"""Views leave a service's refusal to the floor's editing steps, read from the source with `ast`.

A service refuses with a ValidationError; `takatsu_portal.core.editing` explains it the same way
on every page (`save_or_explain` and `create_or_explain` put it on the form's fields, `run_step`
on the form or, for a button, in a message) and explains a conflicting edit beside it. A view
that catches ValidationError itself writes a second copy of that step, which drifts from the
first (three different ways of handling it were found in issue #9). So no views module of a
domain app or of the floor (`views.py`, `public_views.py`, `import_views.py`, a module of a
`views/` package) has an `except` clause that names ValidationError, under whatever alias it
was imported.

There is no exception to this rule today; one that is truly unavoidable goes in ALLOWED with
the reason beside it.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["plans", "feedback", "inspections", "bulletins", "training", "takatsu_portal"]
ALLOWED = {}  # "app/path/views.py": "why it must catch ValidationError itself"


def _is_views_module(path):
    return path.name.endswith("views.py") or "views" in path.parent.parts


def _views_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if _is_views_module(path.relative_to(ROOT)):
                yield path


def validation_error_handlers(source):
    """The line numbers of the `except` clauses of `source` that catch ValidationError: by
    name, as an attribute (`exceptions.ValidationError`, `forms.ValidationError`), in a tuple,
    or under an alias it was imported as."""
    tree = ast.parse(source)
    names = {"ValidationError"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names.update(a.asname for a in node.names if a.name == "ValidationError" and a.asname)

    def catches(expression):
        if expression is None:
            return False
        if isinstance(expression, ast.Tuple):
            return any(catches(element) for element in expression.elts)
        if isinstance(expression, ast.Name):
            return expression.id in names
        if isinstance(expression, ast.Attribute):
            return expression.attr == "ValidationError"
        return False

    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.ExceptHandler) and catches(node.type)
    ]


def test_no_view_catches_validation_error():
    modules = list(_views_modules())
    assert len(modules) > 10  # the walk finds the apps' views (a moved folder would hide them)
    found = sorted(
        f"{path.relative_to(ROOT)}:{line}"
        for path in modules
        if str(path.relative_to(ROOT)) not in ALLOWED
        for line in validation_error_handlers(path.read_text(encoding="utf-8"))
    )
    assert found == [], "use core.editing: save_or_explain, create_or_explain or run_step"


def test_the_checker_sees_every_way_of_naming_validation_error():
    source = """
from django.core.exceptions import ValidationError as Refused
from django import forms
try:
    pass
except ValidationError:
    pass
except (ConflictError, ValidationError) as error:
    pass
except forms.ValidationError:
    pass
except Refused:
    pass
except Exception:
    raise
except (KeyError, ValueError):
    pass
except:
    pass
"""
    assert validation_error_handlers(source) == [6, 8, 10, 12]


def test_the_walk_takes_views_packages_and_public_views():
    assert _is_views_module(Path("feedback/responses/public_views.py"))
    assert _is_views_module(Path("training/views/sessions.py"))
    assert _is_views_module(Path("plans/plan/views.py"))
    assert _is_views_module(Path("takatsu_portal/core/import_views.py"))
    assert not _is_views_module(Path("plans/progress/forms.py"))
    assert not _is_views_module(Path("feedback/responses/services.py"))
