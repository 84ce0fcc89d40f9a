"""The competency demo data: Westmoor's own framework, mappings, course and role profile give a
gap analysis with every kind of coverage; the cohorts' evidence fills the progress matrix, the
mentor's dashboard and delegation readiness; seeding it again changes nothing.

Read from the demo as seed_demo loads it (tests/demo/conftest.py, once for the package): this
test seeded the demo's first floors itself before, a second seeding of its own."""

from auditlog.models import LogEntry

from competencies.demo import seed_competencies
from competencies.evidence.due import due_for
from competencies.evidence.selectors import (
    Readiness,
    attainment_for,  # noqa: E402
    delegation_readiness,
    progress_matrix,
)
from competencies.models import (  # noqa: E402
    AttainmentDecision,
    Competency,
    Course,
    Evidence,
    EvidenceClaim,
    EvidenceComment,
    Framework,
    Mapping,
    RoleProfile,
    RoleProfileItem,
    SelfAssessment,
)
from competencies.profiles.selectors import Coverage, gap_analysis
from programmes.models import Cohort, Membership, Programme
from trainees.models import Trainee  # noqa: E402

MODELS = (Framework, Competency, Mapping, Course, RoleProfile, RoleProfileItem, Evidence,
          EvidenceClaim, EvidenceComment, LogEntry, AttainmentDecision, SelfAssessment)


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_competency_demo(demo):
    from django.utils import timezone

    first = _counts()
    seed_competencies()
    assert _counts() == first

    lead = Membership.objects.get(user__username="lead.westmoor", organisation__slug="westmoor")
    programme = Programme.objects.get(organisation__slug="westmoor",
                                      title="Inpatient assistant practitioner")
    analysis = gap_analysis(profile=programme.role_profile, membership=lead)
    for coverage in Coverage:
        assert analysis.count(coverage) >= 1, coverage
    assert analysis.kind("core").total and analysis.kind("role_specific").total

    cohort_1 = Cohort.objects.get(programme=programme, intake_number=1)
    matrix = progress_matrix(cohort=cohort_1, membership=lead)
    assert matrix.trainee_count == 7
    cells = [cell for row in matrix.rows for cell in row.cells]
    met = sum(cell.met for cell in cells)
    assert met >= 0.9 * len(cells) and met < len(cells)

    mentor = Membership.objects.get(user__username="mentor.westmoor", organisation__slug="westmoor")
    assert len(due_for(mentor)) >= 2
    jordan = Evidence.objects.filter(trainee__employee_number="WM2001",
                                     trainee__organisation__slug="westmoor")
    returned = jordan.get(status=Evidence.Status.RETURNED)
    assert list(returned.comments.values_list("kind", flat=True)) == ["returned", "reply"]

    tasks = delegation_readiness(membership=lead, cohort=cohort_1)
    assert {t.competency.id_number for t in tasks} == {"WM-IAP-04", "WM-IAP-07"}
    statuses = {t.status for task in tasks for t in task.trainees}
    assert {Readiness.READY, Readiness.OVERDUE, Readiness.NOT_YET} <= statuses

    # No evidence dated in the future or outside its cohort.
    today = timezone.localdate()
    for evidence in Evidence.objects.select_related("trainee").prefetch_related(
        "trainee__enrolments__cohort"
    ):
        cohort = evidence.trainee.enrolments.all()[0].cohort
        assert cohort.starts_on <= evidence.occurred_on <= min(today, cohort.ends_on)
        if evidence.assessed_at:
            assert evidence.assessed_at <= timezone.now()
            assert timezone.localtime(evidence.assessed_at).date() <= cohort.ends_on

    # Competence over time: confirmed and corrected self-assessments (one still waiting), a
    # withdrawn sign-off with its reason, competence expiring next month and some expired.
    westmoor = Membership.objects.get(user__username="lead.westmoor").organisation
    assert set(SelfAssessment.objects.filter(trainee__organisation=westmoor).values_list("status", flat=True)) == {
        "confirmed", "corrected", "pending"
    }
    assert AttainmentDecision.objects.filter(kind="withdrawn", comment__contains="Datix").count() == 1
    trainees = Trainee.objects.filter(organisation=westmoor)
    statuses = [a.status for a in attainment_for(trainees, Competency.objects.all()).values()]
    assert {"expiring", "expired", "withdrawn", "current"} <= set(statuses)

    highmoor = Programme.objects.get(organisation__slug="highmoor")
    assert highmoor.role_profile.items.count() == 21
    assert Evidence.objects.filter(trainee__organisation__slug="highmoor",
                                   status=Evidence.Status.SIGNED_OFF,
                                   assessed_by__username="mentor.highmoor").count() > 20
