"""The bulletin's records in the Django admin, read-only (issues and articles are written and
published through the portal's pages, which keep versions, numbers and confirmations)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Article,
    Attachment,
    AudienceNotice,
    Confirmation,
    Issue,
    ReadMark,
    Reminder,
)


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Issue)
class IssueAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["title", "office", "kind", "fiscal_year", "number", "state", "published_at"]
    list_filter = ["office", "kind", "state", "fiscal_year"]
    search_fields = ["title"]


@admin.register(Article)
class ArticleAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["title", "issue", "category", "importance", "required", "confirm_by"]
    list_filter = ["category", "importance", "required"]
    search_fields = ["title"]
    exclude = ["search_title", "search_text"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["original_name", "article", "size", "uploaded_by", "uploaded_at"]


@admin.register(ReadMark)
class ReadMarkAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["article", "user", "revision", "read_at"]


@admin.register(Confirmation)
class ConfirmationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["article", "user", "revision", "confirmed_at"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["article", "user", "kind", "revision", "sent_at"]


@admin.register(AudienceNotice)
class AudienceNoticeAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["article", "user", "revision", "emailed", "sent_at"]
