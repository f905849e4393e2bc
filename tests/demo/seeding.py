"""The demo built once for a test module, shared by the tests of the demo seeders.

A module-scoped fixture builds (part of) the demo inside a transaction that is rolled back
after the module's last test; each test runs in a savepoint within it (pytest-django's `db`),
so what a test changes is undone after it:

    @pytest.fixture(scope="module")
    def seeded(django_db_setup, django_db_blocker):
        yield from seeding.once(django_db_blocker, lambda: seeding.parts(seed_plans))

scripts/test.sh spreads the tests one by one over two processes (`--dist load`, which keeps
pytest-django's order: transactional tests last), so each process that runs some of a module's
tests builds the module's seed once.

A module's test of a second run calls its seeder again over the module's seed and passes the
tallies it returns to `assert_unchanged`; seed_demo run twice over the whole demo:
tests/demo/test_plans.py.
"""

from io import StringIO

from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from demo.accounts import seed_organisation, seed_staff


def once(django_db_blocker, build, **settings):
    """A generator for a module fixture's `yield from`: under `settings` (override_settings,
    e.g. DEBUG=True), runs `build()` in a transaction, yields what it returns, and rolls the
    transaction back when the fixture is torn down."""
    overridden = override_settings(**settings)
    overridden.enable()
    atomic = transaction.atomic()
    try:
        with django_db_blocker.unblock():
            atomic.__enter__()
            try:
                built = build()
            except BaseException:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
                raise
        try:
            yield built
        finally:
            with django_db_blocker.unblock():
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
    finally:
        overridden.disable()


def parts(*seeders):
    """The organisation and its staff, then each of `seeders` as seed_demo calls them;
    returns Takatsu's sections."""
    sections, _ = seed_organisation()
    seed_staff(sections)
    for seeder in seeders:
        seeder(sections)
    return sections


def seed_demo():
    """`manage.py seed_demo` (under DEBUG=True, which it needs; the pages the tests read then
    run with DEBUG false, as in production); returns what it printed."""
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


def tallies(output):
    """The tally lines of seed_demo's output: {label: "N（新規 a、更新 b）"}, every line
    between the heading and the demo accounts."""
    lines = output.split("デモ用アカウント")[0].splitlines()[1:]
    found = {}
    for line in lines:
        label, sep, counts = line.strip().rpartition(": ")
        assert sep, f"not a tally line: {line!r}"
        found[label] = counts
    return found


def assert_unchanged(output):
    """Every tally of a seed_demo run (its output) or of a seeder (the Tally list it returns)
    says nothing new, nothing updated."""
    found = tallies(output) if isinstance(output, str) else {t.label: str(t) for t in output}
    assert found, "no tally"
    changed = {label: c for label, c in found.items() if not c.endswith("（新規 0、更新 0）")}
    assert not changed, changed
