"""Report jobs and versions in the admin: read-only (they are made by the portal's service)."""

from django.contrib import admin

from .models import ReportJob, ReportJobEvent, ReportVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReportJobEventInline(admin.TabularInline):
    model = ReportJobEvent
    fields = ["at", "kind", "by", "message"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ReportJob)
class ReportJobAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "office", "requested_by", "requested_at", "state", "attempts"]
    list_filter = ["kind", "state"]
    inlines = [ReportJobEventInline]


@admin.register(ReportVersion)
class ReportVersionAdmin(ReadOnlyAdmin):
    list_display = ["id", "title", "page_count", "size", "sha256", "created_at"]


@admin.register(ReportJobEvent)
class ReportJobEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "job", "kind", "by", "message"]
    list_filter = ["kind"]
    list_select_related = ["job", "by"]
