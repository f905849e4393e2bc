"""Cache entries stamped with generations: the one mechanism behind the home page's attention
list (core/attention.py), the content many users share (core/shared_cache.py) and each user's
roles and permissions (accounts/authcache.py).

A generation is a cache key holding a random token. An entry is stored with the stamp it was
computed under (the tokens of its generations, read in the same round trip as the entry, and
whatever else it depends on, such as the day) and used only while the stamp is still the
current one. A change writes new tokens into the generations it concerns (`bump`): at once,
and once more when the current transaction commits, so an entry another request computes from
the old rows in between is stamped with the first token and never read after the commit. The
keys of every bump in a transaction are written by one on_commit hook.

Tokens are random, not the clock (a clock can stand still, a frozen test clock, or go back)
and not an increment (a generation evicted from the cache must still differ from every token
an entry was stamped with). They are kept without expiry.
"""

import secrets

from django.core.cache import cache
from django.db import transaction

# The attribute of a database connection holding its transaction's pending CommitBump.
_HOOK_ATTRIBUTE = "_generations_commit_bump"
# How many times this process has written generations (see `written`).
_written = 0


def write(keys):
    """A new token in each generation of `keys` (one cache round trip), now only."""
    global _written
    keys = list(keys)
    if keys:
        _written += 1
        cache.set_many(dict.fromkeys(keys, secrets.token_hex(8)), None)


def written():
    """A number that changes whenever this process writes a generation: what a request read
    from the cache before it changed may be stale (core/usercache.py reads a user's entries
    once a request and reads them again after a change the request itself made)."""
    return _written


def bump(keys):
    """Something the entries stamped with `keys` depend on changed: new tokens now, and again
    when the current transaction commits."""
    keys = list(keys)
    if not keys:
        return
    write(keys)
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        _pending_hook(connection).keys.update(keys)


class CommitBump:
    """The one on_commit hook of a transaction: the keys of every `bump` in it, written once
    more when it commits (one cache round trip, however many changes the transaction made)."""

    def __init__(self, connection):
        self.connection = connection
        self.keys = set()
        self.index = len(connection.run_on_commit)

    def __call__(self):
        if getattr(self.connection, _HOOK_ATTRIBUTE, None) is self:
            setattr(self.connection, _HOOK_ATTRIBUTE, None)
        write(self.keys)

    def registered(self):
        hooks = self.connection.run_on_commit
        if self.index < len(hooks) and hooks[self.index][1] is self:
            return True
        # Moved (a savepoint rolled back before it) or gone (rolled back with its savepoint).
        return any(hook is self for _, hook, _ in hooks)


def _pending_hook(connection):
    """This transaction's CommitBump, registered at its first use (and again should a
    savepoint's rollback have dropped it)."""
    hook = getattr(connection, _HOOK_ATTRIBUTE, None)
    if hook is None or not hook.registered():
        hook = CommitBump(connection)
        setattr(connection, _HOOK_ATTRIBUTE, hook)
        transaction.on_commit(hook)
    return hook


def lookup(key, generation_keys, *, extra=()):
    """(stamp, entry) in one round trip: the current stamp (`extra` and the tokens of
    `generation_keys`; 0 for one missing) and the value kept under `key` if it was stamped
    with it, else MISSING."""
    return lookup_many([(key, generation_keys, extra)])[key]


def lookup_many(entries):
    """`lookup` of several entries in one round trip: {key: (stamp, value or MISSING)} for
    each (key, generation_keys, extra) of `entries`."""
    entries = [(key, list(keys), tuple(extra)) for key, keys, extra in entries]
    names = []
    for key, generation_keys, _extra in entries:
        names += generation_keys
        names.append(key)
    found = cache.get_many(list(dict.fromkeys(names)))
    result = {}
    for key, generation_keys, extra in entries:
        stamp = (*extra, *(found.get(name, 0) for name in generation_keys))
        entry = found.get(key)
        result[key] = (stamp, entry[1] if entry is not None and entry[0] == stamp else MISSING)
    return result


def stamp_of(generation_keys, *, extra=()):
    """The current stamp of `generation_keys` alone (for a value computed apart and kept
    later with `store`)."""
    generation_keys = list(generation_keys)
    found = cache.get_many(generation_keys)
    return (*extra, *(found.get(name, 0) for name in generation_keys))


def store(key, stamp, value, seconds):
    """Keep `value` under `key` with the stamp read *before* it was computed: a change made
    while it was computed leaves it unused."""
    cache.set(key, (stamp, value), seconds)


def cached(key, generation_keys, compute, *, seconds, extra=()):
    """`compute()`, kept under `key` until a generation of `generation_keys` moves (or `extra`
    changes, or `seconds` pass); one cache round trip when it is there. `seconds` 0: always
    computed, nothing kept."""
    if not seconds:
        return compute()
    stamp, value = lookup(key, generation_keys, extra=extra)
    if value is MISSING:
        value = compute()
        store(key, stamp, value, seconds)
    return value


class _Missing:
    def __repr__(self):
        return "MISSING"


MISSING = _Missing()
