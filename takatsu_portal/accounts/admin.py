import base64
import secrets

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from simple_history.admin import SimpleHistoryAdmin

from takatsu_portal.core.guideline import office_guideline_copy

from .models import Department, Office, Section, StaffTransfer, User


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


@admin.register(StaffTransfer)
class StaffTransferAdmin(SimpleHistoryAdmin):
    """Transfers are entered ahead (for 1 April) and applied on their date by the daily beat
    task; an applied transfer is kept as it was (read-only), its history with it."""

    list_display = ["effective_on", "user", "from_section", "to_section", "applied_at"]
    list_filter = [("applied_at", admin.EmptyFieldListFilter), "effective_on"]
    search_fields = ["user__username", "user__full_name", "user__staff_number"]
    list_select_related = ["user", "to_section", "from_section"]
    autocomplete_fields = ["user", "to_section"]
    readonly_fields = ["from_section", "applied_at", "created_by", "created_at"]
    date_hierarchy = "effective_on"
    actions = ["apply_due_now"]
    change_list_template = "admin/accounts/stafftransfer/change_list.html"

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="accounts_stafftransfer_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """人事異動の取込み: upload a file, see every row checked (every bad row with its
        number and reasons), then register them all at once (accounts/transfer_import.py).
        The file waits in the person's session between the preview and the confirmation and
        is checked again when confirmed."""
        from takatsu_portal.core.tabular import ImportRefused

        from .transfer_import import (
            COLUMNS,
            staff_transfers_check,
            staff_transfers_import,
        )

        if not self.has_add_permission(request):
            raise PermissionDenied("人事異動を登録する権限がありません。")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "人事異動の取込み",
            "columns": COLUMNS,
            "sample_url": None,
        }
        pending = request.session.get(IMPORT_SESSION_KEY)
        if request.method == "POST" and "confirm" in request.POST:
            if not pending or request.POST.get("token") != pending["token"]:
                messages.error(
                    request, "確認した取込みが見つかりません。もう一度ファイルを選んでください。"
                )
                return redirect("admin:accounts_stafftransfer_import")
            del request.session[IMPORT_SESSION_KEY]
            data = base64.b64decode(pending["data"])
            try:
                transfers = staff_transfers_import(
                    data=data, filename=pending["name"], by=request.user
                )
            except ImportRefused as error:
                messages.error(request, str(error))
                return redirect("admin:accounts_stafftransfer_import")
            messages.success(
                request,
                f"「{pending['name']}」から{len(transfers)}件の異動を登録しました。"
                "発令日に所属が変わります。",
            )
            return redirect("admin:accounts_stafftransfer_changelist")
        form = TransferImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            try:
                preview = staff_transfers_check(data=data, filename=upload.name)
            except ImportRefused as error:
                form.add_error("file", str(error))
            else:
                context["preview"] = preview
                context["filename"] = upload.name
                if preview.is_valid:
                    token = secrets.token_urlsafe(16)
                    request.session[IMPORT_SESSION_KEY] = {
                        "token": token,
                        "name": upload.name,
                        "data": base64.b64encode(data).decode(),
                    }
                    context["token"] = token
        context["form"] = form
        return TemplateResponse(request, "admin/accounts/stafftransfer/import.html", context)

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.applied_at is not None:
            return ["user", "to_section", "effective_on", "note", *self.readonly_fields]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description="選んだ異動のうち発令日が来たものを今すぐ反映する")
    def apply_due_now(self, request, queryset):
        from takatsu_portal.core.fiscal import today

        from .transfers import transfer_apply

        day = today()
        applied = sum(transfer_apply(transfer_id=t.pk, day=day) for t in queryset)
        self.message_user(request, f"{applied}件の異動を反映しました。")


IMPORT_SESSION_KEY = "staff_transfer_import"


class TransferImportForm(forms.Form):
    file = forms.FileField(
        label="人事異動の一覧（CSV又はExcel）",
        help_text="列：職員番号（又はユーザー名）、異動先の区役所、異動先の課、異動日、備考。"
        "1行目は見出しです。",
    )


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
