from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("request/<slug:kind>/", views.request_kind, name="request"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/row/", views.job_row, name="job_row"),
    path("<int:pk>/retry/", views.retry, name="retry"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/download/", views.download, name="download"),
]
