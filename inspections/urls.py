from django.urls import path, re_path

from . import views

app_name = "inspections"

# A building, a floor or a point on a floor: one set of pages for the three.
KIND = r"(?P<kind>building|floor|place)"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.inspection_create, name="inspection_create"),
    path("<int:pk>/", views.inspection_detail, name="inspection_detail"),
    path("<int:pk>/edit/", views.inspection_edit, name="inspection_edit"),
    path("<int:pk>/history/", views.inspection_history, name="inspection_history"),
    path("<int:pk>/team/", views.team_add, name="team_add"),
    path("<int:pk>/finish/", views.inspection_finish, name="inspection_finish"),
    path("<int:pk>/walk/", views.walk, name="walk"),
    path("places/", views.place_list, name="place_list"),
    path("places/buildings/", views.building_list, name="building_list"),
    re_path(rf"^places/{KIND}/new/$", views.location_create, name="location_create"),
    re_path(rf"^places/{KIND}/(?P<pk>[0-9]+)/$", views.location_edit, name="location_edit"),
    re_path(
        rf"^places/{KIND}/(?P<pk>[0-9]+)/retire/$", views.location_retire, name="location_retire"
    ),
    re_path(
        rf"^places/{KIND}/(?P<pk>[0-9]+)/delete/$", views.location_delete, name="location_delete"
    ),
    re_path(
        rf"^places/{KIND}/(?P<pk>[0-9]+)/history/$",
        views.location_history,
        name="location_history",
    ),
    path("checklists/", views.template_list, name="template_list"),
    path("checklists/new/", views.template_create, name="template_create"),
    path("checklists/<int:pk>/", views.template_detail, name="template_detail"),
    path("checklists/<int:pk>/edit/", views.template_edit, name="template_edit"),
    path("checklists/<int:pk>/history/", views.template_history, name="template_history"),
    path("checklists/<int:pk>/items/new/", views.item_add, name="item_add"),
    path("checklists/items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("checklists/items/<int:pk>/move/", views.item_move, name="item_move"),
    path("checklists/items/<int:pk>/remove/", views.item_remove, name="item_remove"),
    path("checklists/items/<int:pk>/history/", views.item_history, name="item_history"),
    path("findings/", views.finding_list, name="finding_list"),
    path("findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/history/", views.finding_history, name="finding_history"),
    path("findings/<int:pk>/edit/", views.finding_edit, name="finding_edit"),
    path("findings/<int:pk>/correct/", views.finding_correct, name="finding_correct"),
    path("findings/<int:pk>/propose/", views.finding_propose, name="finding_propose"),
    path("findings/<int:pk>/recheck/", views.finding_recheck, name="finding_recheck"),
    path("findings/<int:pk>/voices/", views.finding_voices, name="finding_voices"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("summary/", views.summary_view, name="summary"),
]
