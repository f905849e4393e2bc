from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = "計画"

    def ready(self):
        # Registered on import: each feature's home-page attention items (in the order the home
        # page lists them), its report kind, and the council's meetings as the place where
        # report versions are presented; its figures for the city's comparison of offices.
        from . import comparison  # noqa: F401
        from .council import attention as council_attention  # noqa: F401
        from .council import presentations  # noqa: F401
        from .evaluation import report as evaluation_report  # noqa: F401
        from .improvements import attention as improvements_attention  # noqa: F401
        from .plan import attention as plan_attention  # noqa: F401
        from .plan import report as plan_report  # noqa: F401
        from .practices import attention as practices_attention  # noqa: F401
        from .progress import attention as progress_attention  # noqa: F401
        from .progress import report as progress_report  # noqa: F401
        from .projects import imports as project_imports  # noqa: F401  (import jobs)
        from .proposals import attention as proposals_attention  # noqa: F401
        from .proposals import report as proposals_report  # noqa: F401
