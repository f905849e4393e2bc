from .views import analysis, hub, paper, public, surveys, voices

app_name = "feedback"
urlpatterns = [
    *hub.urlpatterns,
    *surveys.urlpatterns,
    *paper.urlpatterns,
    *analysis.urlpatterns,
    *voices.urlpatterns,
    *public.urlpatterns,
]
