from .views import council, improvements, plan, progress, projects, proposals, working_groups

app_name = "plans"
urlpatterns = [
    *plan.urlpatterns,
    *projects.urlpatterns,
    *proposals.urlpatterns,
    *improvements.urlpatterns,
    *working_groups.urlpatterns,
    *council.urlpatterns,
    *progress.urlpatterns,
]
