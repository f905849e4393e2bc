"""Views of the plans app, one module per part (plan, projects, proposals, improvements,
working groups, council, progress); each module has its own `urlpatterns`."""
