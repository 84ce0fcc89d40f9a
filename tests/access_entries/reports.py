"""Who may use the report pages: case studies, report jobs and their downloads."""

from programmes.models import Membership, Role

from ..access_table import NOT_ALLOWED, NOT_FOUND, OK, REDIRECT, Entry, only


def _finished_job(world):
    from reports import services
    from reports.models import ReportJob

    lead = Membership.objects.get(user=world.person(Role.TRAINING_LEAD))
    job = ReportJob.objects.create(
        organisation=lead.organisation, kind=ReportJob.Kind.CASE_STUDY,
        programme=world.programme, requested_by=lead.user,
    )
    services.job_finish(job_id=job.pk, content=b"%PDF-1.7 test", file_name="case-study.pdf", page_count=1)
    return {"pk": job.pk}


# A job is seen by training leads and planners of the organisation (and by whoever asked for it).
JOB = Entry(
    anonymous=REDIRECT, members=NOT_FOUND, outsider=NOT_FOUND,
    roles={Role.TRAINING_LEAD: OK, Role.PLANNER: OK}, kwargs=_finished_job,
)
PROGRAMME = {"kwargs": lambda world: {"programme_pk": world.programme.pk}}

ENTRIES: dict[str, Entry] = {
    "reports:list": Entry(anonymous=REDIRECT, members=OK, outsider=OK),
    "reports:job_detail": JOB,
    "reports:job_progress": JOB,
    "reports:download": JOB,
    "reports:case_study_edit": only(Role.TRAINING_LEAD, outsider=NOT_FOUND, **PROGRAMME),
    "reports:case_study_preview": only(Role.TRAINING_LEAD, Role.PLANNER, outsider=NOT_FOUND, **PROGRAMME),
    "reports:request_case_study": Entry(
        anonymous=NOT_ALLOWED, members=NOT_ALLOWED, outsider=NOT_ALLOWED, **PROGRAMME
    ),
    # Asking for a cohort progress report or a portfolio is a POST (who may: tests/reports).
    "reports:request_cohort_progress": Entry(
        anonymous=NOT_ALLOWED, members=NOT_ALLOWED, outsider=NOT_ALLOWED,
        kwargs=lambda world: {"cohort_pk": world.cohort.pk},
    ),
    "reports:request_portfolio": Entry(
        anonymous=NOT_ALLOWED, members=NOT_ALLOWED, outsider=NOT_ALLOWED,
        kwargs=lambda world: {"trainee_pk": world.trainee.pk},
    ),
    # Exports: leads and planners (the outsider, a lead, exports their own organisation's).
    "reports:export": only(Role.TRAINING_LEAD, Role.PLANNER),
}
