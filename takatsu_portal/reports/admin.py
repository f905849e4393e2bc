"""Report jobs and versions in the admin: read-only (they are made by the portal's service)."""

from django.contrib import admin

from .models import ReportJob, ReportVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReportJob)
class ReportJobAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "office", "requested_by", "requested_at", "state", "attempts"]
    list_filter = ["kind", "state"]


@admin.register(ReportVersion)
class ReportVersionAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "page_count", "size", "sha256", "created_at"]
