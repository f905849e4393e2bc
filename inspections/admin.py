"""Everything of inspections is read-only in the admin: places, checklists, inspections and
findings change through the portal's pages (places: 点検場所, by the subcommittee and the
administrators), where each save checks the version the editor loaded and records history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Building, ChecklistTemplate, Finding, Floor, Inspection, Place


class FloorInline(admin.TabularInline):
    model = Floor
    extra = 0


@admin.register(Building)
class BuildingAdmin(SimpleHistoryAdmin):
    list_display = ["name", "office", "address", "sort_order", "retired_on"]
    list_filter = ["office"]
    inlines = [FloorInline]


@admin.register(Place)
class PlaceAdmin(SimpleHistoryAdmin):
    list_display = ["name", "floor", "place_type", "window", "section", "sort_order", "retired_on"]
    list_filter = ["place_type", "floor__building"]
    list_select_related = ["floor", "floor__building", "window", "section"]
    search_fields = ["name"]


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(SimpleHistoryAdmin):
    list_display = ["name", "version"]


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "inspected_on", "office", "state"]
    list_filter = ["state", "office"]


@admin.register(Finding)
class FindingAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "barrier", "severity", "section", "due_on", "state"]
    list_filter = ["state", "barrier", "severity"]
    list_select_related = ["place", "item", "section"]
