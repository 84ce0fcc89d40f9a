"""The demo (seed_demo), loaded once for the package (tests/demo/conftest.py): what it holds,
and that seeding it again changes nothing. Seeding an empty database, in production or
committed, is in tests/test_seed_demo_from_nothing.py."""

from django.contrib.auth import get_user_model
from django.core.management import call_command

from programmes.demo.people import ORGANISATIONS
from programmes.models import Cohort, Membership, Organisation, Programme, Role


def _counts():
    from delegation.models import Delegation, SupervisionContact
    from people.models import Invitation
    from programmes.models import Partnership
    from trainees.models import ContractSignature, Enrolment, ProgressReview, StudySession, Trainee

    return {model.__name__: model.objects.count() for model in (
        Organisation, Membership, Programme, Cohort, Trainee, Enrolment, StudySession,
        ProgressReview, ContractSignature, Invitation, Partnership, Delegation, SupervisionContact)}


def test_seed_demo_is_idempotent_and_covers_every_role(demo, capsys):
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first
    assert Organisation.objects.count() == len(ORGANISATIONS)
    for slug in ("westmoor", "highmoor"):
        roles = set(Organisation.objects.get(slug=slug).memberships.values_list("role", flat=True))
        assert roles == set(Role.values), slug
    assert get_user_model().objects.filter(is_superuser=True).count() == 1
    out = capsys.readouterr().out
    assert "lead.westmoor" in out and "trainee.highmoor" in out
    # The leads' Invitations page shows each state an invitation can be in.
    from people.models import Invitation

    westmoor = {i.status for i in Invitation.objects.filter(organisation__slug="westmoor")}
    assert westmoor == {"pending", "expired", "withdrawn"}


def test_demo_tells_the_story_of_the_programmes(demo):
    from trainees.models import Enrolment
    from trainees.selectors import study_time_lost_by_area

    first_cohort = Enrolment.objects.filter(cohort__programme__organisation__slug="westmoor",
                                            cohort__intake_number=1)
    assert first_cohort.count() == 7
    assert first_cohort.filter(status="completed").count() == 7
    assert first_cohort.filter(outcome="progressed").count() == 2
    pilot = Enrolment.objects.filter(cohort__programme__organisation__slug="highmoor")
    assert pilot.filter(status="active").count() == 9
    assert all(e.study_sessions.exists() and e.reviews.exists() for e in pilot)
    # Study time is being lost on one ward above all: the ward view must show it.
    lead = Membership.objects.get(user__username="lead.highmoor")
    lost = list(study_time_lost_by_area(membership=lead))
    worst = max(lost, key=lambda row: row["hours"])
    assert worst["enrolment__trainee__clinical_area__name"] == "Orthopaedic rehabilitation ward"


def test_the_delegation_demo_has_a_care_home_its_partnership_and_supervised_delegations(demo):
    from competencies.models import AttainmentDecision, Evidence
    from delegation.models import Delegation, PartnershipCompetency, PractitionerRegistration
    from programmes.models import Partnership

    elm = Organisation.objects.get(slug="elm-house")
    assert (elm.name, elm.kind) == ("Elm House Nursing Home", Organisation.Kind.CARE_PROVIDER)
    staff = set(elm.memberships.values_list("user__username", "role"))
    assert {("manager.elmhouse", Role.MANAGER), ("carer.elmhouse", Role.TRAINEE),
            ("carer2.elmhouse", Role.TRAINEE)} <= staff
    # Elm House asked; Eastvale's lead accepted; the partnership names two of the four tasks.
    (partnership,) = Partnership.objects.filter(programme__organisation=elm)
    assert partnership.organisation.slug == "eastvale"
    assert (partnership.status, partnership.answered_by.username) == (Partnership.Status.ACCEPTED, "lead.eastvale")
    named = PartnershipCompetency.objects.filter(partnership=partnership).values_list("competency__id_number")
    assert sorted(code for (code,) in named) == ["DHT1", "DHT2"]
    nurse = PractitionerRegistration.objects.get(membership__user__username="nurse.eastvale")
    assert nurse.register == PractitionerRegistration.Register.NMC
    # Her sign-offs are Eastvale's, on the evidence and on each version of attainment.
    signed = Evidence.objects.filter(trainee__organisation=elm, status=Evidence.Status.SIGNED_OFF)
    assert signed.count() == 3 and {e.assessor_organisation.slug for e in signed} == {"eastvale"}
    versions = AttainmentDecision.objects.filter(trainee__organisation=elm, kind="signed_off")
    assert {v.assessor_organisation.slug for v in versions} == {"eastvale"}
    # Two delegations by the district nurse: insulin to Aisha, acknowledged and supervised
    # (one direct and one remote contact, a concern logged); blood glucose to Ben, waiting.
    delegations = {
        (d.trainee.user.username, d.competency.id_number): d
        for d in Delegation.objects.filter(trainee__organisation=elm).select_related("trainee__user", "competency")
    }
    assert set(delegations) == {("carer.elmhouse", "DHT1"), ("carer2.elmhouse", "DHT2")}
    insulin, glucose = delegations["carer.elmhouse", "DHT1"], delegations["carer2.elmhouse", "DHT2"]
    for delegation in (insulin, glucose):
        assert delegation.delegated_by.username == "nurse.eastvale"
        assert delegation.delegator_organisation.slug == "eastvale"
        assert delegation.partnership == partnership
    assert (insulin.status, insulin.acknowledged_by.username) == (Delegation.Status.ACTIVE, "carer.elmhouse")
    contacts = list(insulin.contacts.order_by("occurred_on"))
    assert [c.mode for c in contacts] == ["direct", "remote"]
    assert {c.recorded_by_organisation.slug for c in contacts} == {"eastvale"}
    assert [bool(c.concerns) for c in contacts] == [False, True]
    assert glucose.status == Delegation.Status.AWAITING and not glucose.contacts.exists()


def test_seed_demo_keeps_a_password_someone_changed(demo):
    user = get_user_model().objects.get(username="manager.westmoor")
    user.set_password("my-own-new-password")
    user.save()
    call_command("seed_demo")
    user.refresh_from_db()
    assert user.check_password("my-own-new-password")


def test_the_logins_end_with_the_address_make_run_serves_on(db, capsys):
    call_command("seed_demo", "--logins-only", "--address", "http://127.0.0.1:8210/")
    assert capsys.readouterr().out.rstrip().endswith("Ladder is at http://127.0.0.1:8210/")


def test_make_run_passes_its_port_to_the_logins():
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    dry = subprocess.run(["make", "-n", "run", "PORT=8210"], cwd=root, capture_output=True,
                         text=True, check=False).stdout
    assert "seed_demo --logins-only --address http://127.0.0.1:8210/" in dry
    assert "runserver 127.0.0.1:8210" in dry


def test_each_demo_login_that_signs_has_a_contract_left_to_sign(demo):
    from trainees.due import due_for

    for username in ("trainee.westmoor", "trainee.highmoor"):
        membership = Membership.objects.get(user__username=username)
        own = [item.title for item in due_for(membership) if "learning contract" in item.title]
        assert own == ["Sign your learning contract"], username
    for role in ("manager", "mentor", "lecturer"):
        for org in ("westmoor", "highmoor"):
            membership = Membership.objects.get(user__username=f"{role}.{org}")
            waiting = [item for item in due_for(membership) if "learning contract" in item.title]
            assert waiting, f"{role}.{org} has no contract to sign"
