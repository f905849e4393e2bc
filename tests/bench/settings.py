"""Bench settings: the production settings, with a URLconf that adds the bare baseline view.

Only scripts/bench.sh uses this module, so production never exposes /__bench__/bare/.
BENCH_CACHE_PREFIX keeps the cache of one bench server apart from another's on the same Redis
(the seven-ward bench serves two databases at once, scripts/bench-city.sh).
"""

import os

from takatsu_portal.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"

if os.environ.get("BENCH_CACHE_PREFIX"):
    CACHES["default"]["KEY_PREFIX"] = os.environ["BENCH_CACHE_PREFIX"]  # noqa: F405
