from django.urls import path

from . import views

app_name = "plain_language"

urlpatterns = [
    path("", views.index, name="index"),
    path("live/", views.live, name="live"),
    path("api/check/", views.api_check, name="api_check"),
    path("glossary/", views.glossary, name="glossary"),
    path("glossary/new/", views.term_new, name="term_create"),
    path("glossary/import/", views.glossary_import, name="glossary_import"),
    path("glossary/export.csv", views.glossary_export, {"fmt": "csv"}, name="glossary_export_csv"),
    path(
        "glossary/export.xlsx", views.glossary_export, {"fmt": "xlsx"}, name="glossary_export_xlsx"
    ),
    path("glossary/<int:pk>/", views.term_detail, name="term_detail"),
    path("glossary/<int:pk>/edit/", views.term_edit, name="term_edit"),
    path("glossary/<int:pk>/delete/", views.term_remove, name="term_delete"),
    path("audit/", views.audit, name="audit"),
]
