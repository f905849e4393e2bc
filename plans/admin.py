"""The plans' records in the Django admin: read-only for the administrator role (changes go
through the portal's pages, which keep the stages, versions and decisions), except the
membership of working groups."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AgendaItem,
    AnnualPlan,
    Attachment,
    CouncilMeeting,
    Improvement,
    Indicator,
    IndicatorValue,
    Milestone,
    PlanDecision,
    ProgressReport,
    Project,
    Proposal,
    Reminder,
    ReportingPeriod,
    WorkingGroup,
    YearEndEvaluation,
)


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(AnnualPlan)
class AnnualPlanAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["title", "fiscal_year", "office", "stage", "version"]
    list_filter = ["office", "stage", "fiscal_year"]
    list_select_related = ["office"]


@admin.register(PlanDecision)
class PlanDecisionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["plan", "kind", "from_stage", "to_stage", "decided_by", "decided_at"]
    list_select_related = ["plan", "decided_by"]


@admin.register(Project)
class ProjectAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["code", "title", "plan", "section", "working_group", "status"]
    list_filter = ["plan", "status", "initiative_area"]
    search_fields = ["code", "title"]
    list_select_related = ["plan", "section", "working_group"]
    inlines = [MilestoneInline, IndicatorInline]


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["title", "project", "due_on", "done_on"]
    list_select_related = ["project"]


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["name", "project", "unit", "baseline", "target", "direction"]
    list_select_related = ["project"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["title", "plan", "section", "proposer", "status", "submitted_at"]
    list_filter = ["status", "plan"]
    list_select_related = ["plan", "section", "proposer"]


@admin.register(Improvement)
class ImprovementAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["title", "author", "section", "recorded_on", "is_good_practice"]
    list_filter = ["is_good_practice", "section"]
    list_select_related = ["author", "section"]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "lead", "established_on", "dissolved_on"]
    list_filter = ["kind"]
    list_select_related = ["lead"]
    filter_horizontal = ["members"]
    readonly_fields = ["version"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        from takatsu_portal.core.versioning import save_versioned

        save_versioned(obj, by=request.user)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["order", "title", "subject", "plan", "presented_version", "decision"]
    readonly_fields = fields


@admin.register(CouncilMeeting)
class CouncilMeetingAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["title", "held_on", "office"]
    inlines = [AgendaItemInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["title", "meeting", "subject", "decision", "decided_at"]
    list_select_related = ["meeting"]


# PDCA progress: read-only here; reports are filed and reviewed in the portal.


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["label", "plan", "starts_on", "ends_on", "due_on"]
    list_filter = ["plan"]
    list_select_related = ["plan"]


class IndicatorValueInline(admin.TabularInline):
    model = IndicatorValue
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["project", "period", "status", "state", "progress_percent", "submitted_at"]
    list_filter = ["state", "status", "period__plan"]
    list_select_related = ["project", "period"]
    inlines = [IndicatorValueInline, AttachmentInline]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["indicator", "report", "actual", "source"]
    list_select_related = ["indicator", "report"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["original_name", "report", "content_type", "size", "uploaded_at"]
    list_select_related = ["report"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["project", "period", "kind", "recipient", "sent_at"]
    list_filter = ["kind"]
    list_select_related = ["project", "period", "recipient"]


@admin.register(YearEndEvaluation)
class YearEndEvaluationAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["project", "grade", "decision", "evaluated_by", "evaluated_at"]
    list_filter = ["grade", "decision"]
    list_select_related = ["project", "evaluated_by"]
