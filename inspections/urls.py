from django.urls import path

from . import views

app_name = "inspections"

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
    path("checklists/", views.template_list, name="template_list"),
    path("checklists/<int:pk>/", views.template_detail, name="template_detail"),
    path("checklists/items/<int:pk>/edit/", views.item_edit, name="item_edit"),
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
