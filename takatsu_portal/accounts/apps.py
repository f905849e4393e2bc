from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "takatsu_portal.accounts"
    label = "accounts"
    verbose_name = "職員・組織"

    def ready(self):
        from . import signals  # noqa: F401  (audit of logins and logouts)

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="accounts.sync_roles")


def sync_roles_after_migrate(sender, using="default", **kwargs):
    """Keep the role groups' permissions in step with the models after every migrate: each
    app adds its models' permissions to ROLE_PERMISSIONS, and the groups follow."""
    from .roles import sync_roles

    if sender.label == "accounts":
        sync_roles(using=using)
