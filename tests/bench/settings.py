"""Bench settings: the production settings, with a URLconf that adds the bare baseline view.

Only scripts/bench.sh uses this module, so production never exposes /__bench__/bare/.
"""

from takatsu_portal.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
