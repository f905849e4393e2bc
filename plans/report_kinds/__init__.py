"""The plans app's report kinds (imported by PlansConfig.ready, which registers them)."""

from . import annual_plan, evaluation, presentations, progress, proposals  # noqa: F401
