from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AuditEvent, InitiativeArea, Notification, PendingUpload, Policy


@admin.register(Policy)
class PolicyAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title"]


@admin.register(InitiativeArea)
class InitiativeAreaAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "scope", "code"]
    list_filter = ["scope"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only."""

    list_display = ["at", "action", "username", "path", "address"]
    list_filter = ["action"]
    search_fields = ["username", "path"]
    date_hierarchy = "at"
    list_select_related = ["user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "message", "read_at"]
    list_select_related = ["recipient"]
    search_fields = ["message", "recipient__username"]


@admin.register(PendingUpload)
class PendingUploadAdmin(admin.ModelAdmin):
    """Read-only: files of refused forms waiting for the corrected form; they expire by
    themselves after PENDING_UPLOAD_HOURS (core.pending_uploads.expire)."""

    list_display = ["created_at", "user", "name"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
