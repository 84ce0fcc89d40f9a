"""Who may ask for cohort progress reports and portfolios, and who then sees the job and its
file: the report never shows more than its subject's own access rules allow."""

from __future__ import annotations

import pytest

from programmes.models import Role
from reports import services
from reports.models import ReportJob
from tests.conftest import make_person
from tests.trainees.helpers import add_trainee
from trainees import services as trainee_services

pytestmark = pytest.mark.django_db

EVERY_ROLE = tuple(Role.values)


@pytest.fixture
def queued(monkeypatch):
    """Jobs are recorded but not sent to the broker: these tests are about who may ask."""
    jobs = []
    monkeypatch.setattr(services, "_enqueue", jobs.append)
    return jobs


def _post_as(client, user, url):
    client.force_login(user)
    return client.post(url)


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_who_may_ask_for_a_cohort_progress_report(world, client, queued, role):
    response = _post_as(client, world.person(role), f"/cohorts/{world.cohort.pk}/progress-report/")
    if role == Role.TRAINEE:
        assert response.status_code == 403
        assert not queued
    else:  # everyone who sees the progress matrix
        job = ReportJob.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/reports/{job.pk}/"
        expected = (ReportJob.Kind.COHORT_PROGRESS, world.cohort, world.person(role))
        assert (job.kind, job.cohort, job.requested_by) == expected
        assert queued == [job]


def test_an_outsider_cannot_ask_for_another_organisations_reports(world, client, queued):
    assert _post_as(client, world.outsider, f"/cohorts/{world.cohort.pk}/progress-report/").status_code == 404
    assert client.post(f"/trainees/{world.trainee.pk}/portfolio/pdf/").status_code == 404
    assert not ReportJob.objects.exists()


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_everyone_who_sees_the_trainee_may_ask_for_their_portfolio(world, client, queued, role):
    # Sam is managed by the manager, mentored by the mentor, taught by the lecturer, and is the
    # trainee: every role of Acme sees Sam.
    response = _post_as(client, world.person(role), f"/trainees/{world.trainee.pk}/portfolio/pdf/")
    job = ReportJob.objects.get()
    assert response.status_code == 302
    assert (job.kind, job.trainee) == (ReportJob.Kind.TRAINEE_PORTFOLIO, world.trainee)


def test_a_manager_cannot_ask_for_the_portfolio_of_someone_they_do_not_manage(world, client, queued):
    other, _ = add_trainee(world, first_name="Not", last_name="Mine", employee_number="N1")
    assert _post_as(client, world.person(Role.MANAGER), f"/trainees/{other.pk}/portfolio/pdf/").status_code == 404
    assert client.post(f"/trainees/{other.pk}/portfolio/pdf/").status_code == 404
    assert not ReportJob.objects.exists()


def _finished(world, *, requested_by, **subject) -> ReportJob:
    job = ReportJob.objects.create(requested_by=requested_by, **subject)
    services.job_finish(job_id=job.pk, content=b"%PDF-1.7 test", file_name="report.pdf", page_count=1)
    return job


def _who_sees(client, world, job) -> set[str]:
    seen = set()
    for actor in (*EVERY_ROLE, "outsider"):
        client.force_login(world.outsider if actor == "outsider" else world.person(actor))
        page = client.get(f"/reports/{job.pk}/").status_code
        download = client.get(f"/reports/{job.pk}/download/").status_code
        assert page == download, (actor, page, download)
        if page == 200:
            seen.add(actor)
        else:
            assert page == 404, (actor, page)
    return seen


def test_a_managers_cohort_report_is_seen_by_them_and_the_organisations_leads_and_planners(world, client):
    job = _finished(world, requested_by=world.person(Role.MANAGER), organisation=world.organisation,
                    kind=ReportJob.Kind.COHORT_PROGRESS, cohort=world.cohort)
    assert _who_sees(client, world, job) == {Role.MANAGER, Role.TRAINING_LEAD, Role.PLANNER}


def test_a_trainees_portfolio_is_seen_by_them_and_the_organisations_leads_and_planners(world, client):
    job = _finished(world, requested_by=world.person(Role.TRAINEE), organisation=world.organisation,
                    kind=ReportJob.Kind.TRAINEE_PORTFOLIO, trainee=world.trainee)
    assert _who_sees(client, world, job) == {Role.TRAINEE, Role.TRAINING_LEAD, Role.PLANNER}


def test_an_export_is_seen_by_the_organisations_leads_and_planners_only(world, client):
    job = _finished(world, requested_by=world.person(Role.PLANNER), organisation=world.organisation,
                    kind=ReportJob.Kind.EXPORT_CSV, options={"datasets": ["cohorts"]})
    assert _who_sees(client, world, job) == {Role.TRAINING_LEAD, Role.PLANNER}


def test_a_report_asked_for_through_another_organisation_about_acmes_cohort_is_not_shown_there(world, client):
    # A partner's lecturer who teaches Acme's cohort asks for its progress report: the job
    # belongs to the partner, but its leads may not see Acme's trainees through it.
    lecturer = make_person(world.other_organisation, Role.LECTURER, "lecturer.other")
    job = _finished(world, requested_by=lecturer, organisation=world.other_organisation,
                    kind=ReportJob.Kind.COHORT_PROGRESS, cohort=world.cohort)
    client.force_login(world.outsider)  # a training lead of the partner organisation
    assert client.get(f"/reports/{job.pk}/").status_code == 404
    assert client.get(f"/reports/{job.pk}/download/").status_code == 404
    assert b"Cohort 1" not in client.get("/reports/").content


def test_a_download_is_refused_once_the_subject_is_out_of_sight(world, client):
    job = _finished(world, requested_by=world.person(Role.MANAGER), organisation=world.organisation,
                    kind=ReportJob.Kind.TRAINEE_PORTFOLIO, trainee=world.trainee)
    client.force_login(world.person(Role.MANAGER))
    assert client.get(f"/reports/{job.pk}/download/").status_code == 200
    # Sam moves to another manager: the report goes out of this manager's sight with Sam.
    trainee_services.trainee_update(trainee=world.trainee, actor=world.person(Role.TRAINING_LEAD), line_manager=None)
    assert client.get(f"/reports/{job.pk}/download/").status_code == 404


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_the_programme_page_offers_the_case_study_to_leads_and_planners_only(world, client, queued, role):
    client.force_login(world.person(role))
    page = client.get(f"/programmes/{world.programme.pk}/")
    offered = 'data-testid="request-case-study"' in page.content.decode()
    assert offered == (role in (Role.TRAINING_LEAD, Role.PLANNER))


def test_a_planner_produces_the_case_study_from_the_programme_page(world, client, queued):
    client.force_login(world.person(Role.PLANNER))
    response = client.post(f"/programmes/{world.programme.pk}/case-study/request/")
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/{job.pk}/"
    assert (job.kind, job.programme) == (ReportJob.Kind.CASE_STUDY, world.programme)


def test_produce_on_the_editor_saves_the_unsaved_words_first(world, client, queued):
    from reports.models import CaseStudyNarrative

    client.force_login(world.person(Role.TRAINING_LEAD))
    url = f"/programmes/{world.programme.pk}/case-study/"
    page = client.get(url)
    assert "Save and produce the case study PDF" in page.content.decode()
    typed = {
        "version": "1", "organisation_text": "", "how_we_did_it": "",
        "what_we_did_and_why": "Wards needed physical healthcare skills at the bedside.",
        "results_and_next_steps": "", "contact_details": "",
        "tips_for_others": "Start with the gaps, not the whole framework.",
    }
    response = client.post(url, {**typed, "produce": ""})

    job = ReportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/reports/{job.pk}/"
    assert queued == [job] and job.kind == ReportJob.Kind.CASE_STUDY
    narrative = CaseStudyNarrative.objects.get(programme=world.programme)
    assert narrative.what_we_did_and_why == typed["what_we_did_and_why"]
    assert narrative.tips_for_others == typed["tips_for_others"]
    # And the editor shows them again.
    assert typed["tips_for_others"] in client.get(url).content.decode()


def test_produce_with_a_mistake_on_the_editor_keeps_the_words_and_queues_nothing(world, client, queued):
    client.force_login(world.person(Role.TRAINING_LEAD))
    url = f"/programmes/{world.programme.pk}/case-study/"
    response = client.post(url, {"version": "not a number", "tips_for_others": "Keep me", "produce": ""})
    assert response.status_code == 200
    assert "Keep me" in response.content.decode()
    assert not ReportJob.objects.exists()
