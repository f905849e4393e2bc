"""The feedback records in the Django admin, read-only for the administrator role except the
service windows. The admin follows the portal's rules for residents' data: it never shows the
personal data of resident voices (their section and the subcommittee read it in the portal)
nor the free text of survey answers (the subcommittee and section managers read it under
集計・分析, `feedback.read_free_text`), whatever the administrator's other roles."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Answer, Choice, Question, ResidentVoice, Response, ServiceWindow, Survey


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ServiceWindow)
class ServiceWindowAdmin(SimpleHistoryAdmin):
    list_display = ["name", "section", "location", "is_active", "sort_order"]
    list_filter = ["is_active", "section"]
    list_select_related = ["section"]
    search_fields = ["name", "location"]


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["order", "kind", "text", "required"]


@admin.register(Survey)
class SurveyAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["title", "opens_on", "closes_on", "office"]
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["text", "survey", "kind", "order"]
    list_select_related = ["survey"]


@admin.register(Choice)
class ChoiceAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["text", "question", "order"]
    list_select_related = ["question"]


@admin.register(Response)
class ResponseAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["survey", "submitted_on", "channel", "language", "window"]
    list_filter = ["channel", "language"]
    list_select_related = ["survey", "window"]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["question", "choice", "number"]
    list_select_related = ["question", "choice"]
    exclude = ["text"]  # residents' free text: read in the portal only (see above)


@admin.register(ResidentVoice)
class ResidentVoiceAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    list_display = ["summary", "category", "section", "state", "received_on", "due_on"]
    list_filter = ["state", "category", "channel"]
    list_select_related = ["section"]
    exclude = ["contact_name", "contact_info"]
