"""The layers of the code, read from the source with `ast` (imports inside functions count).

- The floor (`takatsu_portal/`) imports no domain app and not the demo.
- `feedback` takes of `plans` only its models and its access helpers; `plans` takes nothing
  of `feedback`; `bulletins` and `training` take nothing of `plans` or `feedback`.
- `inspections` takes of `plans` its models, its access helpers and the proposal service (in
  one module, inspections.services), and of `feedback` its models and access helpers; no
  other app imports `inspections`.
- No app imports the demo package, which sits on top of everything.
- `plans.progress` takes nothing of `plans.evaluation` (the evaluation builds on progress).
- No module imports itself through a chain of other modules (no import cycle).
- The floor's templates (every template outside an app's folder: base.html, core/, includes/,
  reports/, accounts/, ...) never `{% include %}` or `{% extends %}` a template of a domain
  app, and no module of the floor names one (an app that adds to a floor page passes its own
  template, which extends the floor's, as the plan's history page does).
- A test that sets today's date patches the one clock, `takatsu_portal.core.fiscal.clock`,
  never a module that imported `today` (moving that module would silently unpatch it).
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["takatsu_portal", "plans", "feedback", "inspections", "bulletins", "training", "demo"]
DOMAIN = {"plans", "feedback", "inspections", "bulletins", "training"}
# The proposal service of plans, which inspections uses to turn a finding into a proposal.
PLANS_PROPOSAL_SERVICES = {"plans.proposals.services"}


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _sources():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            yield _module_name(path), path


MODULES = dict(_sources())


def _resolve(module, path, node):
    """The absolute names an import statement brings in (a `from x import y` gives x.y when
    x.y is a module of the project, else x)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    if node.level:
        base = package.split(".")
        base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
        prefix = ".".join(base)
        target = f"{prefix}.{node.module}" if node.module else prefix
    else:
        target = node.module
    names = []
    for alias in node.names:
        candidate = f"{target}.{alias.name}"
        names.append(candidate if candidate in MODULES else target)
    return names


def imports_of(module, path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.update(_resolve(module, path, node))
    return found


IMPORTS = {module: imports_of(module, path) for module, path in MODULES.items()}


def _top(name):
    return name.split(".")[0]


def _violations(rule):
    return sorted(
        f"{module} imports {target}"
        for module, targets in IMPORTS.items()
        for target in targets
        if rule(module, target)
    )


def test_the_floor_imports_no_domain_app_and_not_the_demo():
    assert (
        _violations(lambda m, t: _top(m) == "takatsu_portal" and _top(t) in DOMAIN | {"demo"}) == []
    )


def test_feedback_takes_only_the_models_and_access_helpers_of_plans():
    allowed = {"plans.models", "plans.access"}
    assert (
        _violations(lambda m, t: _top(m) == "feedback" and _top(t) == "plans" and t not in allowed)
        == []
    )


def test_plans_takes_nothing_of_feedback():
    assert _violations(lambda m, t: _top(m) == "plans" and _top(t) == "feedback") == []


@pytest.mark.parametrize("app", ["bulletins", "training"])
def test_the_new_apps_take_nothing_of_plans_or_feedback(app):
    assert (
        _violations(lambda m, t: _top(m) == app and _top(t) in {"plans", "feedback", "inspections"})
        == []
    )


def test_no_app_but_the_demo_imports_inspections():
    assert (
        _violations(
            lambda m, t: _top(t) == "inspections" and _top(m) not in {"inspections", "demo"}
        )
        == []
    )


def test_inspections_takes_the_models_access_and_proposal_service_of_plans_and_feedback():
    allowed = {"plans.models", "plans.access", "feedback.models", "feedback.access"}
    allowed |= PLANS_PROPOSAL_SERVICES

    def wrong(module, target):
        return (
            _top(module) == "inspections"
            and _top(target) in {"plans", "feedback"}
            and (target not in allowed)
        )

    assert _violations(wrong) == []


def test_inspections_imports_the_proposal_service_in_one_module_only():
    importers = {
        module
        for module, targets in IMPORTS.items()
        if _top(module) == "inspections" and targets & PLANS_PROPOSAL_SERVICES
    }
    assert importers <= {"inspections.services"}


def test_plans_progress_takes_nothing_of_the_year_end_evaluation():
    # The evaluation builds on the progress reports (their indicator values, the board), not
    # the other way round: the board's filter and the achievement rate live in progress.
    assert (
        _violations(
            lambda m, t: m.startswith("plans.progress") and t.startswith("plans.evaluation")
        )
        == []
    )


def test_no_app_imports_the_demo():
    assert _violations(lambda m, t: _top(m) != "demo" and _top(t) == "demo") == []


def _cycles():
    """Every strongly connected group of more than one module (Tarjan), as sorted lists."""
    graph = {m: sorted(t for t in IMPORTS[m] if t in MODULES and t != m) for m in MODULES}
    index, low, stack, on_stack, groups = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in graph:
        if node not in index:
            visit(node)
    return sorted(groups)


def test_there_is_no_import_cycle():
    assert _cycles() == []


def test_the_checker_sees_local_imports_and_relative_imports(tmp_path):
    # The rules above are only as good as the reader: an import inside a function and a
    # relative import must both be found.
    source = tmp_path / "mod.py"
    source.write_text(
        "from . import sibling\ndef f():\n    from plans.models import Project\n",
        encoding="utf-8",
    )
    found = imports_of("takatsu_portal.core.mod", source)
    assert "plans.models" in found
    assert "takatsu_portal.core" in found or "takatsu_portal.core.sibling" in found


# ---------------------------------------------------------------------------------------------
# Templates

TEMPLATES = ROOT / "templates"
TEMPLATE_TAG = re.compile(r"""{%-?\s*(include|extends)\s+(?:"([^"]+)"|'([^']+)'|(\S+))""")


def _is_domain_template(name):
    return name.split("/")[0] in DOMAIN


def _floor_templates():
    for path in sorted(TEMPLATES.rglob("*")):
        name = path.relative_to(TEMPLATES).as_posix()
        if path.is_file() and not _is_domain_template(name):
            yield name, path


def template_references(text):
    """(tag, name) of each include and extends; a name given by a variable comes back as
    `<variable>`, which the rule below refuses too (it could name any template)."""
    return [
        (tag, double or single or f"<{variable}>")
        for tag, double, single, variable in TEMPLATE_TAG.findall(text)
    ]


def test_the_floors_templates_include_or_extend_no_template_of_an_app():
    floor = dict(_floor_templates())
    assert {"base.html", "core/history.html", "includes/_history.html"} <= floor.keys()
    wrong = sorted(
        f"{name} {tag}s {target}"
        for name, path in floor.items()
        for tag, target in template_references(path.read_text(encoding="utf-8"))
        if _is_domain_template(target) or target.startswith("<")
    )
    assert wrong == []


def test_no_module_of_the_floor_names_a_template_of_an_app():
    apps = "|".join(sorted(DOMAIN))
    names = re.compile(rf"^({apps})/[\w/.-]+\.(html|txt)$")
    wrong = sorted(
        f"{module}: {node.value}"
        for module, path in MODULES.items()
        if _top(module) == "takatsu_portal"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and names.match(node.value)
    )
    assert wrong == []


def test_the_template_checker_reads_both_quotes_and_variables():
    text = """{% extends 'base.html' %}{% include "plans/plan/_decisions.html" with x=1 %}
    {%- include template_name %}"""
    assert template_references(text) == [
        ("extends", "base.html"),
        ("include", "plans/plan/_decisions.html"),
        ("include", "<template_name>"),
    ]


# ---------------------------------------------------------------------------------------------
# Clock patches in the tests

CLOCK = "takatsu_portal.core.fiscal.clock"
DATE_NAMES = {"today", "clock", "now"}


def clock_patches(source):
    """The targets of `setattr`/`patch` calls that replace a date function: a dotted string
    (`"bulletins.tasks.today"`), or `module.name` of a `setattr(module, "today", ...)`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else ""
        name = name or (node.func.id if isinstance(node.func, ast.Name) else "")
        if name not in {"setattr", "patch", "object"}:
            continue
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            if first.value.rpartition(".")[2] in DATE_NAMES:
                found.append(first.value)
        elif (
            len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in DATE_NAMES
        ):
            found.append(f"{ast.unparse(first)}.{node.args[1].value}")
    return found


def test_tests_set_the_date_through_the_one_clock():
    wrong = sorted(
        f"{path.relative_to(ROOT)}: {target}"
        for path in (ROOT / "tests").rglob("*.py")
        for target in clock_patches(path.read_text(encoding="utf-8"))
        if target not in {CLOCK, "fiscal.clock"}
    )
    assert wrong == []


def test_the_clock_checker_sees_strings_and_module_attributes():
    source = """
monkeypatch.setattr("takatsu_portal.core.fiscal.clock", lambda: day)
monkeypatch.setattr(tasks, "today", lambda: day)
with patch("bulletins.tasks.today", return_value=day): pass
monkeypatch.setattr(uploads, "MAX_PHOTO_BYTES", 1024)
"""
    assert clock_patches(source) == [CLOCK, "tasks.today", "bulletins.tasks.today"]
