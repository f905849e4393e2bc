"""`make bench`: the load generator, the bench settings and the bare baseline view.

Nothing here is a test (pytest collects only test_*.py) and nothing here is ever imported by
the portal itself: the bare view exists only under DJANGO_SETTINGS_MODULE=tests.bench.settings.
"""
