"""Ladder's URLs. Every pattern must have an entry in tests/access_table.py (who may use it)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from api import account_views as token_revoking
from config.health import healthz
from dashboards.forms import (
    LoginForm,
    NhsPasswordChangeForm,
    NhsPasswordResetForm,
    NhsSetPasswordForm,
)
from people.account_views import PasswordResetView

admin.site.site_header = "Ladder administration"
admin.site.site_title = "Ladder admin"

account_patterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        # Every password change revokes the person's API tokens (api.receivers); the change and
        # reset pages say how many (api.account_views).
        token_revoking.PasswordChangeView.as_view(form_class=NhsPasswordChangeForm),
        name="password_change",
    ),
    path(
        "password/change/done/",
        token_revoking.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        PasswordResetView.as_view(form_class=NhsPasswordResetForm),  # throttled
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        token_revoking.PasswordResetConfirmView.as_view(form_class=NhsSetPasswordForm),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        token_revoking.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", include("dashboards.urls")),
    path("", include("programmes.urls")),
    path("", include("trainees.urls")),
    path("", include("trainees.enrolment_import.urls")),
    path("", include("competencies.frameworks.urls")),
    path("", include("competencies.profiles.urls")),
    path("", include("competencies.evidence.urls")),
    path("", include("competencies.assessment.urls")),
    path("", include("evaluations.interviews.urls")),
    path("", include("evaluations.findings.urls")),
    path("", include("reports.urls")),
    path("", include("privacy.urls")),
    path("", include("people.urls")),
    path("", include("delegation.urls")),
    path("", include("credentials.urls")),
    path("account/", include(account_patterns)),
    path("account/tokens/", include("api.account_urls")),
    path("api/", include("api.urls")),
    path("healthz", healthz, name="healthz"),
    # Pages name their icon in <head>; this answers the browsers and tools that ask the root.
    path(
        "favicon.ico",
        # The URL is looked up per request: with the manifest storage of production,
        # resolving it while the URLconf loads fails wherever collectstatic has not run.
        lambda request: redirect(static("nhsuk/assets/images/favicon.ico")),
        name="favicon",
    ),
    path("admin/", admin.site.urls),
]
# Uploaded files (evidence, reports) are never served from MEDIA_URL: each download goes
# through a view that checks the person may see the record it belongs to.
