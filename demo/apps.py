from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data on top of every app: `manage.py seed_demo` (development only)."""

    name = "demo"
    verbose_name = "デモデータ"
