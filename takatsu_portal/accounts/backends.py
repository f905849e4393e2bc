from django.contrib.auth.backends import ModelBackend

from . import authcache


class PortalModelBackend(ModelBackend):
    """Django's backend, loading the signed-in user with their section, department and office
    in the same query: nearly every page needs the office to scope what it shows."""

    def get_user(self, user_id):
        user = (
            self.get_user_queryset()
            .select_related("section__department__office")
            .filter(pk=user_id)
            .first()
        )
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        """Django's model permissions, kept between requests by accounts.authcache."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            generation, cached = authcache.lookup("perms", user_obj)
            if cached is None:
                cached = super().get_all_permissions(user_obj)
                authcache.put("perms", user_obj, frozenset(cached), generation)
            user_obj._perm_cache = set(cached)
        return user_obj._perm_cache

    def get_user_queryset(self):
        from django.contrib.auth import get_user_model

        return get_user_model()._default_manager.all()
