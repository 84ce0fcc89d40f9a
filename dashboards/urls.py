from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("", views.home, name="home"),
    path("due/", views.due_list, name="due"),
    path("switch/", views.switch, name="switch"),
    path("account/", views.account, name="account"),
    path("account/reminders/", views.reminders, name="reminders"),
    path("account/session/", views.session_keep_alive, name="session_keep_alive"),
]
