from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CalendarFeed, Course, Enrolment, Evaluation, Requirement, Session


@admin.register(Course)
class CourseAdmin(SimpleHistoryAdmin):
    list_display = ["title", "category", "kind", "hours", "organiser", "is_active"]
    list_filter = ["category", "kind", "is_active", "office"]
    search_fields = ["title"]
    readonly_fields = ["version"]


@admin.register(Session)
class SessionAdmin(SimpleHistoryAdmin):
    list_display = ["course", "starts_at", "capacity", "is_cancelled"]
    list_filter = ["is_cancelled"]
    search_fields = ["course__title"]
    readonly_fields = ["version", "reminder_sent_at"]


@admin.register(Enrolment)
class EnrolmentAdmin(SimpleHistoryAdmin):
    """Read-only: seats change only through the services (training.services), which lock the
    session and move the waiting list."""

    list_display = ["user", "session", "state", "attendance", "completed_on"]
    list_filter = ["state", "attendance"]
    search_fields = ["user__full_name", "session__course__title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(SimpleHistoryAdmin):
    list_display = ["enrolment", "satisfaction", "usefulness", "submitted_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Requirement)
class RequirementAdmin(SimpleHistoryAdmin):
    list_display = ["title", "audience", "course", "category", "due", "is_active"]
    list_filter = ["audience", "due", "is_active"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Who has a calendar feed and since when; the key is never shown (the person issues and
    reissues it on 私の研修記録), and nothing is added or changed here. Deleting one revokes it."""

    list_display = ["user", "issued_at"]
    search_fields = ["user__full_name", "user__username"]
    fields = ["user", "issued_at"]
    readonly_fields = ["user", "issued_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
