"""Reads for report jobs: who may ask for, watch and download which reports."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from core.access import get_scoped_or_404
from programmes.models import Membership, Programme, Role
from programmes.selectors import get_cohort_for, get_programme_for
from trainees.selectors import get_trainee_for

from .models import ReportJob

REPORT_ROLES = (Role.TRAINING_LEAD, Role.PLANNER)
EXPORT_ROLES = REPORT_ROLES
EXPORT_KINDS = (ReportJob.Kind.EXPORT_CSV, ReportJob.Kind.EXPORT_XLSX)


def can_request_reports(membership: Membership | None, programme: Programme) -> bool:
    """Training leads and workforce planners of the programme's lead organisation."""
    return (
        membership is not None
        and membership.role in REPORT_ROLES
        and programme.organisation_id == membership.organisation_id
    )


def report_jobs_visible_to(*, membership: Membership | None) -> QuerySet[ReportJob]:
    """Everyone sees the jobs they asked for (in the organisation they act in). Leads and
    planners also see their organisation's jobs about its own programmes, cohorts and trainees,
    and its exports; not a report a partner's lecturer asked for through the organisation,
    whose subject is another organisation's cohort."""
    if membership is None:
        return ReportJob.objects.none()
    org = membership.organisation_id
    jobs = ReportJob.objects.filter(organisation_id=org)
    own = Q(requested_by=membership.user)
    if membership.role in REPORT_ROLES:
        jobs = jobs.filter(
            own | Q(programme__organisation_id=org) | Q(cohort__programme__organisation_id=org)
            | Q(trainee__organisation_id=org) | Q(kind__in=EXPORT_KINDS)
        )
    else:
        jobs = jobs.filter(own)
    return jobs.select_related("programme", "cohort", "cohort__programme", "trainee", "requested_by")


def check_subject_visible(membership: Membership | None, job: ReportJob) -> None:
    """404 unless the person may (still) see what the report is about: a report is never a way
    round the programme's, cohort's or trainee's own access rules."""
    if job.programme_id:
        get_programme_for(membership=membership, pk=job.programme_id)
    if job.cohort_id:
        get_cohort_for(membership=membership, pk=job.cohort_id)
    if job.trainee_id:
        get_trainee_for(membership=membership, pk=job.trainee_id)


def get_job_for(*, membership: Membership | None, pk) -> ReportJob:
    job = get_scoped_or_404(report_jobs_visible_to(membership=membership), membership, None, pk=pk)
    check_subject_visible(membership, job)
    return job


def check_can_request(membership: Membership | None, programme: Programme) -> None:
    if not can_request_reports(membership, programme):
        raise PermissionDenied(
            "Only training leads and workforce planners of the lead organisation can ask for reports."
        )
