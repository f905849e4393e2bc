from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from takatsu_portal.core.guideline import office_guideline_copy

from .models import Department, Office, Section, User


@admin.register(Office)
class OfficeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "sort_order"]
    search_fields = ["name", "code"]
    fieldsets = (
        (None, {"fields": ("code", "name", "name_translations", "sort_order")}),
        (
            "区役所ごとの設定（空欄はこのシステム全体の設定の値）",
            {
                "fields": (
                    "portal_name",
                    "resident_name",
                    "public_base_url",
                    ("plan_due_month", "plan_due_day"),
                    "progress_reminder_days",
                    "bulletin_reminder_days",
                )
            },
        ),
    )

    def save_model(self, request, obj, form, change):
        """A new office starts from the city's guideline: its own copy to edit."""
        super().save_model(request, obj, form, change)
        if not change:
            office_guideline_copy(office=obj)


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "office", "sort_order"]
    list_filter = ["office"]
    search_fields = ["name"]
    list_select_related = ["office"]


@admin.register(Section)
class SectionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "department", "sort_order"]
    list_filter = ["department__office", "department"]
    search_fields = ["name", "department__name"]
    list_select_related = ["department"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ["username", "full_name", "staff_number", "section", "is_active"]
    list_filter = [
        "is_active",
        "groups",
        "section__department",
        ("section", admin.EmptyFieldListFilter),
    ]
    search_fields = ["username", "full_name", "full_name_kana", "staff_number", "email"]
    ordering = ["full_name_kana", "username"]
    list_select_related = ["section"]
    autocomplete_fields = ["section"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            "職員情報",
            {"fields": ("full_name", "full_name_kana", "staff_number", "section", "email")},
        ),
        ("役割と権限", {"fields": ("is_active", "groups", "is_superuser", "user_permissions")}),
        ("日時", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "full_name_kana",
                    "staff_number",
                    "section",
                    "email",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]
