from django.urls import path

from . import views

app_name = "bulletins"
urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("issues/new/", views.issue_create, name="issue_create"),
    path("issues/<int:pk>/", views.issue_detail, name="issue_detail"),
    path("issues/<int:pk>/edit/", views.issue_edit, name="issue_edit"),
    path("issues/<int:pk>/publish/", views.issue_publish, name="issue_publish"),
    path("issues/<int:pk>/unschedule/", views.issue_unschedule, name="issue_unschedule"),
    path("issues/<int:pk>/history/", views.issue_history, name="issue_history"),
    path("issues/<int:pk>/status/", views.issue_status, name="issue_status"),
    path("issues/<int:pk>/pdf/", views.issue_pdf, name="issue_pdf"),
    path("issues/<int:pk>/pdf/<int:job>/", views.issue_pdf_download, name="issue_pdf_download"),
    path("issues/<int:pk>/articles/new/", views.article_create, name="article_create"),
    path("articles/preview/", views.article_preview, name="article_preview"),
    path("articles/<int:pk>/", views.article_detail, name="article_detail"),
    path("articles/<int:pk>/confirm/", views.article_confirm, name="article_confirm"),
    path("articles/<int:pk>/edit/", views.article_edit, name="article_edit"),
    path("articles/<int:pk>/delete/", views.article_delete, name="article_delete"),
    path("articles/<int:pk>/history/", views.article_history, name="article_history"),
    path("articles/<int:pk>/status/", views.article_status, name="article_status"),
    path(
        "articles/<int:pk>/status.csv",
        views.article_status_export,
        {"fmt": "csv"},
        name="article_status_csv",
    ),
    path(
        "articles/<int:pk>/status.xlsx",
        views.article_status_export,
        {"fmt": "xlsx"},
        name="article_status_xlsx",
    ),
    path("articles/<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
]
