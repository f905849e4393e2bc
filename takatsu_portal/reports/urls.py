from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("annual-plan/", views.request_annual_plan, name="request_annual_plan"),
    path("<int:pk>/row/", views.job_row, name="job_row"),
    path("<int:pk>/download/", views.download, name="download"),
]
