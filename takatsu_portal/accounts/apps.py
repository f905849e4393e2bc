from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "takatsu_portal.accounts"
    label = "accounts"
    verbose_name = "職員・組織"

    def ready(self):
        from . import authcache, signals  # noqa: F401  (signals: audit of logins and logouts)

        authcache.connect_signals()

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="accounts.sync_roles")


def sync_roles_after_migrate(sender, using="default", **kwargs):
    """Keep the role groups' permissions in step with the models after every migrate: each
    app adds its models' permissions to ROLE_PERMISSIONS, and the groups follow."""
    from django.apps import apps

    from .roles import sync_roles

    # post_migrate is sent once per app with models; the permissions of every app exist only
    # after the last one's turn.
    last = [config for config in apps.get_app_configs() if config.models_module][-1]
    if sender.label == last.label:
        sync_roles(using=using)
