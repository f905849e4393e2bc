"""Cache entries stamped with generations (core/generations.py), the mechanism under the home
page's attention list, the shared content and the auth cache."""

import uuid

import pytest
from django.db import transaction

from takatsu_portal.core import generations

pytestmark = pytest.mark.django_db


def key(name):
    return f"tests:{name}:{uuid.uuid4().hex}"


def counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return calls, compute


def test_an_entry_is_used_until_one_of_its_generations_moves():
    calls, compute = counter()
    keys, entry = [key("gen-a"), key("gen-b")], key("entry")
    assert generations.cached(entry, keys, compute, seconds=60) == 1
    assert generations.cached(entry, keys, compute, seconds=60) == 1
    generations.bump([keys[1]])
    assert generations.cached(entry, keys, compute, seconds=60) == 2
    generations.bump([key("gen-other")])
    assert generations.cached(entry, keys, compute, seconds=60) == 2
    assert len(calls) == 2


def test_extra_parts_of_the_stamp_and_seconds_zero():
    calls, compute = counter()
    entry, gen = key("entry"), key("gen")
    assert generations.cached(entry, [gen], compute, seconds=60, extra=("day1",)) == 1
    assert generations.cached(entry, [gen], compute, seconds=60, extra=("day2",)) == 2
    assert generations.cached(entry, [gen], compute, seconds=0, extra=("day2",)) == 3
    assert generations.cached(entry, [gen], compute, seconds=60, extra=("day2",)) == 2


def test_a_value_computed_while_a_change_was_made_is_never_used():
    gen, entry = key("gen-c"), key("entry")
    stamp = generations.stamp_of([gen])
    generations.bump([gen])  # the change, while the value was being computed
    generations.store(entry, stamp, "stale", 60)
    _now, value = generations.lookup(entry, [gen])
    assert value is generations.MISSING


def test_a_bump_in_a_transaction_is_written_again_at_the_commit():
    from django.core.cache import cache
    from django.db import connection

    d, e = key("gen-d"), key("gen-e")
    with transaction.atomic():
        generations.bump([d])
        first = cache.get(d)
        generations.bump([e])
    hooks = [h for _, h, _ in connection.run_on_commit if isinstance(h, generations.CommitBump)]
    assert len(hooks) == 1 and {d, e} <= hooks[0].keys
    hooks[0]()  # the commit
    assert cache.get(d) not in (None, first)


def test_lookup_many_reads_several_entries_with_their_own_stamps_at_once():
    gen_a, gen_b, one, two = key("gen-a"), key("gen-b"), key("one"), key("two")
    found = generations.lookup_many([(one, [gen_a], ("x",)), (two, [gen_a, gen_b], ())])
    assert found[one][1] is generations.MISSING and found[two][1] is generations.MISSING
    generations.store(one, found[one][0], "first", 60)
    generations.store(two, found[two][0], "second", 60)
    found = generations.lookup_many([(one, [gen_a], ("x",)), (two, [gen_a, gen_b], ())])
    assert (found[one][1], found[two][1]) == ("first", "second")
    before = generations.written()
    generations.bump([gen_b])
    assert generations.written() != before
    found = generations.lookup_many([(one, [gen_a], ("x",)), (two, [gen_a, gen_b], ())])
    assert found[one][1] == "first"
    assert found[two][1] is generations.MISSING
    assert generations.lookup_many([(one, [gen_a], ("y",))])[one][1] is generations.MISSING
