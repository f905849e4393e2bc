from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    default = True
    name = "takatsu_portal.core"
    label = "core"
    verbose_name = "基本データ・記録"

    def ready(self):
        from django.apps import apps

        from .fields import portal_app_configs, use_single_line_fields

        use_single_line_fields(portal_app_configs(apps))
        from django.contrib.admin.models import LogEntry
        from django.db.models.signals import post_save

        from . import (
            attention,  # noqa: F401  (the foundation's own attention providers)
            checks,  # noqa: F401  (system checks of the portal's settings)
            frame,  # noqa: F401  (the header and unread count, read with the user's entries)
            import_tasks,  # noqa: F401  (sent by name from any process)
            imports,  # noqa: F401  (its permission rule; kinds register from the apps)
        )
        from .notifications import attention as notifications_attention  # noqa: F401

        # The admin site saves rows without the services: each change it logs (a user's
        # section, a role, master data) makes every cached attention list be computed again.
        post_save.connect(_admin_changed, sender=LogEntry, dispatch_uid="attention_admin")


def _admin_changed(sender, **kwargs):
    from . import attention

    attention.changed()


class PortalAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "takatsu_portal.core.admin_site.PortalAdminSite"
