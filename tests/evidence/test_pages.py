"""The evidence pages: adding with files, who sees what, and the downloads."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from competencies.evidence import services
from competencies.models import Evidence
from programmes.models import Role
from trainees import services as trainee_services

from ..conftest import make_person
from .factories import make_competency, make_framework, pdf, sign_off, submit


def _form(frameworks, **extra):
    return {
        "title": "Observations on Larch Ward", "kind": "observation",
        "occurred_on_day": "2", "occurred_on_month": "3", "occurred_on_year": "2026",
        "description": "I recorded observations and escalated a NEWS2 of 5.",
        "competencies": [str(frameworks.observations.pk), str(frameworks.escalation.pk)],
        **extra,
    }


def test_the_form_offers_the_role_profile_first_and_other_frameworks_too(client_as, world, frameworks):
    extra = make_competency(make_framework(short_name="Skills for Health NOS"), "Obtain venous blood samples")
    theirs = make_competency(make_framework(organisation=world.other_organisation), "Their secret competency")
    html = client_as(Role.TRAINEE).get(reverse("evidence:create")).content.decode()
    assert html.index("CC10 Physical health observations") < html.index("Other competencies, from any framework")
    assert html.index("Other competencies, from any framework") < html.index(extra.short_name)
    assert "Skills for Health NOS" in html
    assert theirs.short_name not in html


def test_a_trainee_adds_evidence_with_a_pdf_on_the_page(client_as, world, frameworks):
    client = client_as(Role.TRAINEE)
    response = client.post(reverse("evidence:create"), _form(frameworks, files=[pdf("obs.pdf")]))
    evidence = Evidence.objects.get()
    assert response.status_code == 302 and response.url == f"/evidence/{evidence.pk}/"
    assert evidence.claims.count() == 2 and evidence.files.get().original_name == "obs.pdf"
    page = client.get(response.url).content.decode()
    assert "It is waiting for Mentor Acme to assess it." in page
    assert "obs.pdf" in page


def test_bad_files_are_refused_on_the_form_with_clear_messages(client_as, world, frameworks):
    fake = SimpleUploadedFile("results.pdf", b"\x00\x01 not a pdf at all", content_type="application/pdf")
    big = pdf("scan.pdf", size=10 * 1024 * 1024 + 100)
    response = client_as(Role.TRAINEE).post(reverse("evidence:create"), _form(frameworks, files=[fake, big]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "“results.pdf” is named like a PDF, but its contents are not a PDF." in html
    assert "“scan.pdf” is too big: each file must be 10 MB or smaller, and this one is 10.1 MB." in html
    assert 'class="nhsuk-error-summary"' in html
    assert not Evidence.objects.exists()


def test_choosing_no_competency_is_shown_on_the_form(client_as, world, frameworks):
    response = client_as(Role.TRAINEE).post(reverse("evidence:create"), _form(frameworks, competencies=[]))
    assert "Choose at least one competency this evidence shows" in response.content.decode()


def test_another_trainee_and_the_outsider_get_404_on_the_evidence_and_its_file(client, world, frameworks):
    evidence = submit(world.trainee, [frameworks.observations], files=[pdf()])
    stored = evidence.files.get()
    other_user = make_person(world.organisation, Role.TRAINEE, "trainee2.acme")
    trainee_services.trainee_create(
        organisation=world.organisation, actor=world.person(Role.TRAINING_LEAD), first_name="Other",
        last_name="Trainee", employee_number="E5005", user=other_user,
    )
    for user in (other_user, world.outsider):
        client.force_login(user)
        assert client.get(reverse("evidence:detail", kwargs={"pk": evidence.pk})).status_code == 404
        assert client.get(reverse("evidence:file", kwargs={"pk": stored.pk})).status_code == 404
        assert client.get(reverse("evidence:edit", kwargs={"pk": evidence.pk})).status_code == 404
        assert client.get(reverse("evidence:portfolio", kwargs={"trainee_pk": world.trainee.pk})).status_code == 404


def test_the_file_downloads_as_an_attachment_with_its_stored_type(client_as, world, frameworks):
    evidence = submit(world.trainee, [frameworks.observations], files=[pdf("My obs.pdf")])
    stored = evidence.files.get()
    response = client_as(Role.MANAGER).get(reverse("evidence:file", kwargs={"pk": stored.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "My obs.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_signed_off_evidence_cannot_be_edited_on_the_page(client_as, world, frameworks):
    evidence = sign_off(submit(world.trainee, [frameworks.observations]), {frameworks.observations.pk: 1})
    assert client_as(Role.TRAINEE).get(reverse("evidence:edit", kwargs={"pk": evidence.pk})).status_code == 403


def test_the_trainee_resubmits_returned_evidence_on_the_page(client_as, world, frameworks):
    evidence = submit(world.trainee, [frameworks.observations])
    evidence = services.evidence_return(evidence=evidence, assessor=world.person(Role.MENTOR), comment="Add the time.")
    client = client_as(Role.TRAINEE)
    url = reverse("evidence:edit", kwargs={"pk": evidence.pk})
    form = client.get(url)
    assert "Resubmit for assessment" in form.content.decode()
    response = client.post(url, _form(frameworks, version=str(evidence.version), note="Added 14:00."))
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.status == Evidence.Status.SUBMITTED
    # A second save from the same (now stale) form is refused with a message.
    stale = client.post(url, _form(frameworks, version=str(evidence.version - 1)))
    assert "Someone else changed this evidence after you opened the page." in stale.content.decode()


def test_a_mentor_sees_evidence_waiting_for_them_first(client_as, world, frameworks):
    done = sign_off(
        submit(world.trainee, [frameworks.observations], title="Already signed"), {frameworks.observations.pk: 1}
    )
    submit(world.trainee, [frameworks.observations], title="Waiting one")
    html = client_as(Role.MENTOR).get(reverse("evidence:list")).content.decode()
    assert html.index("Waiting one") < html.index(done.title)
    assert "Waiting for you" in html
    filtered = client_as(Role.MENTOR).get(reverse("evidence:list"), {"status": "signed_off"}).content.decode()
    assert "Waiting one" not in filtered and done.title in filtered


def test_the_portfolio_shows_levels_targets_and_the_evidence_behind_them(client_as, world, frameworks):
    nos = make_competency(make_framework(short_name="Skills for Health NOS"), "Obtain venous blood samples")
    evidence = sign_off(
        submit(world.trainee, [frameworks.observations, nos], title="Obs and bloods"),
        {frameworks.observations.pk: 1, nos.pk: 1},
    )
    submit(world.trainee, [frameworks.escalation], title="Still waiting")
    client = client_as(Role.TRAINEE)
    response = client.get(reverse("evidence:my_portfolio"))
    assert response.status_code == 302
    html = client.get(response.url).content.decode()
    assert "1 of 2</strong> role-profile competencies at or above the target level" in html
    assert "Obs and bloods" in html and f"/evidence/{evidence.pk}/" in html
    assert "Other competencies with evidence" in html and nos.short_name in html
    assert "1 more waiting for assessment or returned" in html


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm the caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_at_5_and_30_rows(client_as, world, frameworks):
    client = client_as(Role.MENTOR)
    for n in range(5):
        submit(world.trainee, [frameworks.observations, frameworks.escalation], title=f"Evidence {n}", files=[pdf()])
    small = _count_queries(client, reverse("evidence:list"))
    for n in range(25):
        submit(world.trainee, [frameworks.observations, frameworks.escalation], title=f"More {n}", files=[pdf()])
    assert _count_queries(client, reverse("evidence:list")) == small


def test_the_evidence_page_costs_the_same_queries_however_long_its_thread(client_as, world, frameworks):
    evidence = submit(world.trainee, [frameworks.observations, frameworks.escalation], files=[pdf()])
    client = client_as(Role.MENTOR)
    url = reverse("evidence:detail", kwargs={"pk": evidence.pk})
    short = _count_queries(client, url)
    for n in range(8):
        services.evidence_reply(evidence=evidence, author=world.trainee.user, text=f"Note {n}")
    assert _count_queries(client, url) == short


def test_the_portfolio_costs_the_same_queries_with_more_evidence(client_as, world, frameworks):
    client = client_as(Role.MANAGER)
    url = reverse("evidence:portfolio", kwargs={"trainee_pk": world.trainee.pk})
    sign_off(submit(world.trainee, [frameworks.observations]), {frameworks.observations.pk: 1})
    few = _count_queries(client, url)
    nos = make_framework(short_name="Skills for Health NOS")
    for n in range(6):
        extra = make_competency(nos, f"Unit {n}")
        sign_off(submit(world.trainee, [frameworks.observations, frameworks.escalation, extra], title=f"E{n}"),
                 {frameworks.observations.pk: 1, frameworks.escalation.pk: n % 4, extra.pk: 1})
    assert _count_queries(client, url) == few
