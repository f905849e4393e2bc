"""Per-user limit on checks (live check, page and API together): PLAIN_LANGUAGE_RATE_LIMIT a
minute, counted in the shared cache so that every gunicorn process counts the same."""

import time

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 60


def allow(user):
    """Count one check for `user`; False once the user is over the limit for this minute."""
    limit = settings.PLAIN_LANGUAGE_RATE_LIMIT
    window = int(time.time() // WINDOW_SECONDS)
    key = f"plain_language:rate:{user.pk}:{window}"
    if cache.add(key, 1, timeout=WINDOW_SECONDS * 2):
        return limit >= 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=WINDOW_SECONDS * 2)
        count = 1
    return count <= limit
