from django.contrib.auth.backends import ModelBackend


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

    def get_user_queryset(self):
        from django.contrib.auth import get_user_model

        return get_user_model()._default_manager.all()
