"""A report kind for the reliability tests only (installed by tests/settings.py, so that the
real workers those tests start know it too): it sleeps, or fails with a transient error, as
its params say, before it renders a one-page PDF."""
