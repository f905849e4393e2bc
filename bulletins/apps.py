from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "bulletins"
    verbose_name = "情報紙"

    def ready(self):
        # Rules, the home page's items and the report kind: registered on import.
        from . import attention, report, rules  # noqa: F401
