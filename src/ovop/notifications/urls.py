from django.urls import path

from ovop.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/read/", views.notification_mark_all_read, name="mark_all_read"),
    path("notifications/<int:pk>/", views.notification_open, name="open"),
]
