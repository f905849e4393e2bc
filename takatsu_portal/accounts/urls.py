from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .permissions import writes_nothing_of_a_ward

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", writes_nothing_of_a_ward(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "password/",
        writes_nothing_of_a_ward(views.PasswordChangeView.as_view()),
        name="password_change",
    ),
    path("profile/", views.profile, name="profile"),
    path("keepalive/", views.keepalive, name="keepalive"),
]
