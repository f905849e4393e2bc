"""What the cache keeps for the signed-in user, read in one round trip a request.

Every page needs several entries of its user: the roles and the model permissions
(accounts/authcache.py), the unread-notification count of the header and the header itself
(core/frame.py). Each is an entry of core/generations.py with its own generations; read one
by one they cost a round trip to the cache (Redis) each. Each kind registers here how to
find its entry for a user (`register`), and the first `lookup` of a request reads all of
them at once and keeps what it found on the user object (which lives for one request).

A change the request itself makes (a role given, a notification read) writes a generation
(`generations.written()` moves), and the next `lookup` reads the entries again: a request
never uses an entry read before its own change.
"""

from . import generations

_ATTRIBUTE = "_usercache_found"
# name -> function(user) returning (key, generation_keys, extra, seconds) or None (not cached)
_kinds = {}


def register(name, describe):
    """`describe(user)` says where the entry `name` of a user lives: (key, generation keys,
    extra stamp parts, seconds to keep it), or None when it is not cached."""
    _kinds[name] = describe


def _describe(name, user):
    described = _kinds[name](user)
    if described is None or not described[3]:
        return None
    return described


def lookup(user, name):
    """(stamp, value or generations.MISSING) of the entry `name` of `user` (signed in), or
    None when that entry is not cached (its setting is 0). The request's first lookup reads
    every registered entry of the user in one round trip."""
    found = getattr(user, _ATTRIBUTE, None)
    if found is not None and found[0] == generations.written() and name in found[1]:
        return found[1][name]
    if _describe(name, user) is None:
        return None
    described = {n: _describe(n, user) for n in _kinds}
    described = {n: d for n, d in described.items() if d is not None}
    read = generations.lookup_many(d[:3] for d in described.values())
    found = (generations.written(), {n: read[d[0]] for n, d in described.items()})
    setattr(user, _ATTRIBUTE, found)
    return found[1][name]


def store(user, name, stamp, value):
    """Keep `value` of the entry `name`, computed after `lookup` returned `stamp` (a change
    made while it was computed leaves it unused)."""
    described = _describe(name, user)
    if described is None:
        return
    key, _keys, _extra, seconds = described
    generations.store(key, stamp, value, seconds)
    found = getattr(user, _ATTRIBUTE, None)
    if found is not None and name in found[1]:
        found[1][name] = (stamp, value)


def cached(user, name, compute):
    """`compute()` for the signed-in `user`, through the entry `name`."""
    looked_up = lookup(user, name)
    if looked_up is None:
        return compute()
    stamp, value = looked_up
    if value is generations.MISSING:
        value = compute()
        store(user, name, stamp, value)
    return value
