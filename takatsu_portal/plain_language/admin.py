from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Term


@admin.register(Term)
class TermAdmin(SimpleHistoryAdmin):
    """Read-only here: terms are kept on the glossary pages (versions, import, history)."""

    list_display = ["term", "reading", "category", "is_active", "updated_at"]
    list_filter = ["category", "is_active"]
    search_fields = ["term", "reading", "alternatives"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
