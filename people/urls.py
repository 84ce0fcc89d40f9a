"""Invitations, people's roles and single sign-on. Who may use each: tests/access_entries/people.py."""

from django.urls import path

from . import account_views, views

app_name = "people"

urlpatterns = [
    path("people/invite/", views.invite, name="invite"),
    path("people/invitations/", views.invitation_list, name="invitations"),
    path("people/invitations/<int:pk>/resend/", views.invitation_resend, name="invitation_resend"),
    path(
        "people/invitations/<int:pk>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/roles/", views.role_give, name="role_give"),
    path("people/<int:pk>/deactivate/", views.person_deactivate, name="person_deactivate"),
    path("people/roles/<int:pk>/take-away/", views.role_take_away, name="role_take_away"),
    path("trainees/<int:pk>/invite/", views.invite_trainee, name="invite_trainee"),
    # The link in the invitation email: open to anyone holding it
    path("invitations/<str:token>/", views.accept, name="accept"),
    path("invitations/<str:token>/single-sign-on/", views.accept_with_sso, name="accept_sso"),
    # Single sign-on (OpenID Connect): 404 unless it is configured.
    path("account/sso/start/", account_views.sso_start, name="sso_start"),
    path("account/sso/callback/", account_views.sso_callback, name="sso_callback"),
]
