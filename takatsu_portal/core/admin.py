from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AuditEvent,
    ImportJob,
    InitiativeArea,
    Notification,
    PendingUpload,
    Policy,
)


@admin.register(Policy)
class PolicyAdmin(SimpleHistoryAdmin):
    """Each office edits its own policies; the rows without an office are the city's
    template, which a new office copies (core/guideline.py)."""

    list_display = ["number", "title", "office"]
    list_filter = [("office", admin.EmptyFieldListFilter), "office"]
    list_select_related = ["office"]
    ordering = ["office__sort_order", "office_id", "number"]


@admin.register(InitiativeArea)
class InitiativeAreaAdmin(SimpleHistoryAdmin):
    list_display = ["number", "title", "scope", "code", "office"]
    list_filter = [("office", admin.EmptyFieldListFilter), "office", "scope"]
    list_select_related = ["office"]
    ordering = ["office__sort_order", "office_id", "number"]


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


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Read-only, and without the preview or the file: a file of survey answers holds
    residents' free text, which the portal shows only to those who read it (the job's page,
    /imports/<id>/, is where a job is followed, cancelled and retried)."""

    list_display = [
        "id",
        "kind",
        "filename",
        "requested_by",
        "state",
        "rows_total",
        "bad_rows",
        "rows_written",
        "created_at",
    ]
    list_filter = ["kind", "state"]
    list_select_related = ["requested_by"]
    fields = [
        "kind",
        "params",
        "office",
        "requested_by",
        "filename",
        "size",
        "sha256",
        "state",
        "rows_total",
        "rows_checked",
        "rows_written",
        "bad_rows",
        "error",
        "error_detail",
        "confirmed_by",
        "confirmed_at",
        "created_at",
        "started_at",
        "finished_at",
        "attempts",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
