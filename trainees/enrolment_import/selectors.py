"""Reads for bulk enrolment: the import a person may see, and the example file."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.access import get_scoped_or_404
from programmes.models import ClinicalArea, Cohort, Membership, Role
from programmes.selectors import can_change_programme

from ..models import Trainee
from .models import EnrolmentImport
from .parsing import COLUMN_NAMES


def get_import_for(*, membership: Membership | None, pk) -> EnrolmentImport:
    """An import of the acting organisation (404 otherwise) that the person may run: only the
    training leads of the cohort's programme's organisation (403 for other roles)."""
    job = get_scoped_or_404(
        EnrolmentImport.objects.select_related("cohort__programme", "uploaded_by", "confirmed_by"),
        membership,
        "organisation",
        pk=pk,
    )
    if not can_change_programme(membership, job.cohort.programme):
        raise PermissionDenied("Only the organisation's training leads can import trainees.")
    return job


def example_csv(*, cohort: Cohort) -> str:
    """A small file that imports cleanly into ``cohort``: three new trainees on the
    organisation's own wards, with its own managers and mentors where it has them. Three queries."""
    org_id = cohort.programme.organisation_id
    wards = list(
        ClinicalArea.objects.filter(organisation_id=org_id).values_list("name", flat=True)[:3]
    )
    people: dict[str, list[str]] = {}
    for role, username in (
        Membership.objects.active()
        .filter(organisation_id=org_id, role__in=(Role.MANAGER, Role.TRAINING_LEAD, Role.MENTOR))
        .order_by("role", "user__username")
        .values_list("role", "user__username")
    ):
        people.setdefault(role, []).append(username)
    managers = people.get(Role.MANAGER) or people.get(Role.TRAINING_LEAD) or [""]
    mentors = people.get(Role.MENTOR) or [""]
    # Employee numbers nobody in the organisation has yet.
    taken = set(
        Trainee.objects.filter(
            organisation_id=org_id, employee_number__startswith="EX"
        ).values_list("employee_number", flat=True)
    )
    numbers = (f"EX{n:05d}" for n in range(1, 100_000) if f"EX{n:05d}" not in taken)

    today = timezone.localdate()
    start = cohort.starts_on
    later = min(start + timedelta(days=14), cohort.ends_on)
    blank_ok = max(start, today) <= cohort.ends_on  # a blank date means max(start, today)
    people_rows = [
        (
            "Priya",
            "Shah",
            "priya.shah@example.nhs.uk",
            "3",
            "Healthcare support worker",
            start.isoformat(),
            "active",
        ),
        (
            "Tom",
            "Okafor",
            "",
            "Band 2",
            "Healthcare assistant",
            later.strftime("%d/%m/%Y"),
            "applied",
        ),
        (
            "Grace",
            "Mensah",
            "grace.mensah@example.nhs.uk",
            "",
            "Senior healthcare support worker",
            "" if blank_ok else start.isoformat(),
            "",
        ),
    ]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMN_NAMES)
    for i, (first, last, email, band, title, enrolled_on, status) in enumerate(people_rows):
        writer.writerow(
            [
                next(numbers),
                first,
                last,
                email,
                band,
                title,
                wards[i % len(wards)] if wards else "",
                managers[i % len(managers)],
                mentors[i % len(mentors)] if i != 1 else "",
                enrolled_on,
                status,
            ]
        )
    return out.getvalue()
