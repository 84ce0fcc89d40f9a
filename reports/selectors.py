"""Reads for report jobs: who may ask for, watch and download which reports."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from programmes.access import get_scoped_or_404
from programmes.models import Membership, Programme, Role

from .models import ReportJob

REPORT_ROLES = (Role.TRAINING_LEAD, Role.PLANNER)


def can_request_reports(membership: Membership | None, programme: Programme) -> bool:
    """Training leads and workforce planners of the programme's lead organisation."""
    return (
        membership is not None
        and membership.role in REPORT_ROLES
        and programme.organisation_id == membership.organisation_id
    )


def report_jobs_visible_to(*, membership: Membership | None) -> QuerySet[ReportJob]:
    """Leads and planners see their organisation's jobs; anyone else only their own."""
    if membership is None:
        return ReportJob.objects.none()
    jobs = ReportJob.objects.filter(organisation_id=membership.organisation_id)
    if membership.role not in REPORT_ROLES:
        jobs = jobs.filter(requested_by=membership.user)
    return jobs.select_related("programme", "cohort", "requested_by")


def get_job_for(*, membership: Membership | None, pk) -> ReportJob:
    return get_scoped_or_404(report_jobs_visible_to(membership=membership), membership, None, pk=pk)


def check_can_request(membership: Membership | None, programme: Programme) -> None:
    if not can_request_reports(membership, programme):
        raise PermissionDenied("Only training leads and workforce planners of the lead organisation can ask for reports.")
