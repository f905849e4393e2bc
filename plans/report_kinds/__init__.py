"""The plans app's report kinds (imported by PlansConfig.ready, which registers them)."""

from . import annual_plan, evaluation, progress, proposals  # noqa: F401
