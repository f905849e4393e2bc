"""What training's shared pages are kept against.

Training's services tell the home page of each person whose enrolment changed
(`training.attention.changed_for`), not everyone, so the data generation that the shared cache
(core/shared_cache.py) keys on does not move when someone applies, cancels, attends or
completes. The pages that everyone of an office sees alike (the upcoming sessions with their
counts, the compliance page) are therefore also keyed on training's own generation
(`generation_keys()`), which those services move (`training_changed()`, called by
`changed_for` and by the evaluation): it is read in the same cache round trip as the kept
page, so it costs the page no query. What changes courses, sessions and rules moves the data
generation itself: `save_versioned` (courses, sessions), the rule views (`attention.changed()`)
and the admin site.
"""

from takatsu_portal.core import generations

GENERATION_KEY = "training:generation"


def generation_keys():
    """The generations training's shared pages are stamped with besides the data generation."""
    return [GENERATION_KEY]


def training_stamp():
    """The current token of training's generation, for a key kept outside the shared cache
    (the city's comparison of offices, training/comparison.py): one cache read, no query."""
    return generations.stamp_of(generation_keys())


def training_changed():
    """An enrolment, an attendance, a completion or an evaluation changed: training's shared
    pages are made again at the next request (now, and again when the transaction commits)."""
    generations.bump(generation_keys())
