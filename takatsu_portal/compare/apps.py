from django.apps import AppConfig


class CompareConfig(AppConfig):
    name = "takatsu_portal.compare"
    label = "compare"
    verbose_name = "区役所比較"

    def ready(self):
        # The rules of the page and the city-wide report kind: registered on import. The
        # metrics themselves are registered by each domain app in its own AppConfig.ready.
        from . import report, rules  # noqa: F401
