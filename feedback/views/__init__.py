"""Views of the feedback app, one module per part; each module has its own `urlpatterns`."""
