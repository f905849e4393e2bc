"""URLs of the notifications page; included at the site root by takatsu_portal/urls.py."""

from django.urls import path

from . import views_notifications

urlpatterns = [
    path("notifications/", views_notifications.notification_list, name="notification_list"),
    path("notifications/read/", views_notifications.notification_read, name="notification_read"),
]
