"""The API's URLs: /api/v1/ (resources), /api/schema/ (OpenAPI), /api/docs/ (Swagger UI).
Who may use each: tests/access_entries/api.py."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from .views import (
    attainment,
    competencies,
    credentials,
    delegation,
    evaluations,
    programmes,
    reports,
    trainees,
)

app_name = "api"

router = SimpleRouter(use_regex_path=False)  # path converters: <int:pk>
router.register("organisations", programmes.OrganisationViewSet, basename="organisation")
router.register("programmes", programmes.ProgrammeViewSet, basename="programme")
router.register("milestones", programmes.MilestoneViewSet, basename="milestone")
router.register("cohorts", programmes.CohortViewSet, basename="cohort")
router.register("trainees", trainees.TraineeViewSet, basename="trainee")
router.register("enrolments", trainees.EnrolmentViewSet, basename="enrolment")
router.register(
    "contract-signatures", trainees.ContractSignatureViewSet, basename="contract-signature"
)
router.register("study-sessions", trainees.StudySessionViewSet, basename="study-session")
router.register("frameworks", competencies.FrameworkViewSet, basename="framework")
router.register("competencies", competencies.CompetencyViewSet, basename="competency")
router.register(
    "role-profile-items", competencies.RoleProfileItemViewSet, basename="role-profile-item"
)
router.register("evidence", competencies.EvidenceViewSet, basename="evidence")
router.register("attainments", attainment.AttainmentViewSet, basename="attainment")
router.register("self-assessments", attainment.SelfAssessmentViewSet, basename="self-assessment")
router.register("stages", evaluations.StageViewSet, basename="stage")
router.register("interviews", evaluations.InterviewViewSet, basename="interview")
router.register("audit-tools", evaluations.AuditToolViewSet, basename="audit-tool")
router.register("audit-rounds", evaluations.AuditRoundViewSet, basename="audit-round")
router.register(
    "satisfaction-results", evaluations.SatisfactionResultViewSet, basename="satisfaction-result"
)
router.register("report-jobs", reports.ReportJobViewSet, basename="report-job")
router.register("credentials", credentials.CredentialViewSet, basename="credential")
router.register("partnerships", delegation.PartnershipViewSet, basename="partnership")
router.register("delegations", delegation.DelegationViewSet, basename="delegation")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view loads its start-up script from a URL, not inline (strict CSP).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
]
