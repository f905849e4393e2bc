from django.contrib import admin


class PortalAdminSite(admin.AdminSite):
    """The Django admin, open to holders of the administrator role (and superusers) rather
    than to whoever has the is_staff flag, so granting the role is all it takes."""

    site_header = "高津区役所サービスポータル 管理"
    site_title = "ポータル管理"
    index_title = "マスタデータと職員の管理"

    def has_permission(self, request):
        user = request.user
        return user.is_active and user.has_perm("portal.admin_site")
