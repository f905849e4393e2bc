"""The plans app's addresses: each feature package has its own `urlpatterns`."""

from .council import views as council
from .evaluation import views as evaluation
from .improvements import views as improvements
from .plan import views as plan
from .practices import views as practices
from .progress import board_views as progress_board
from .progress import views as progress_reports
from .projects import views as projects
from .proposals import views as proposals
from .working_groups import views as working_groups

app_name = "plans"
urlpatterns = [
    *plan.urlpatterns,
    *projects.urlpatterns,
    *proposals.urlpatterns,
    *improvements.urlpatterns,
    *practices.urlpatterns,
    *working_groups.urlpatterns,
    *council.urlpatterns,
    *progress_board.urlpatterns,
    *evaluation.urlpatterns,
    *progress_reports.urlpatterns,
]
