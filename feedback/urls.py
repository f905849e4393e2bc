"""The feedback app's addresses: each feature package has its own `urlpatterns` (the public
form's short address is in public_urls.py)."""

from . import views as hub
from .analysis import views as analysis
from .responses import public_views
from .responses import views as responses
from .surveys import views as surveys
from .voices import views as voices
from .windows import views as windows

app_name = "feedback"
urlpatterns = [
    *hub.urlpatterns,
    *windows.urlpatterns,
    *surveys.urlpatterns,
    *responses.urlpatterns,
    *analysis.urlpatterns,
    *voices.urlpatterns,
    *public_views.urlpatterns,
]
