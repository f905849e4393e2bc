from .views import (
    council,
    evaluation,
    improvements,
    plan,
    progress,
    projects,
    proposals,
    reports,
    working_groups,
)

app_name = "plans"
urlpatterns = [
    *plan.urlpatterns,
    *projects.urlpatterns,
    *proposals.urlpatterns,
    *improvements.urlpatterns,
    *working_groups.urlpatterns,
    *council.urlpatterns,
    *progress.urlpatterns,
    *evaluation.urlpatterns,
    *reports.urlpatterns,
]
