"""Each role's own screens (a manager's trainees, a mentor's mentees, a trainee's record) and
the ward view of lost study time."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.shortcuts import render
from django.utils import timezone

from core.access import membership_required
from programmes.models import Role

from .. import selectors
from ..forms import PeriodForm
from ..models import Enrolment, StudySession
from .enrolments import enrolment_context


def _open_rows(membership):
    """The person's open enrolments with figures and who has signed: one query."""
    today = timezone.localdate()
    visible = selectors.enrolments_visible_to(membership=membership)
    party = selectors.party_of(membership)
    enrolments = selectors.with_signed_parties(selectors.with_progress_figures(
        visible.filter(status__in=selectors.OPEN_STATUSES)
    ), parties=[party])
    return [
        {"progress": selectors.progress_of(e, today), "signed_by_me": getattr(e, f"signed_{party}")}
        for e in enrolments
    ]


@membership_required(Role.MANAGER)
def my_trainees(request):
    rows = _open_rows(request.membership)
    return render(request, "trainees/my_trainees.html", {
        "rows": rows,
        "party_count": selectors.PARTY_COUNT,
        "warning_percent": int(selectors.STUDY_TIME_WARNING * 100),
        "overdue": sum(1 for r in rows if r["progress"].review_overdue),
        "below_plan": sum(1 for r in rows if r["progress"].below_plan),
        "to_sign": sum(1 for r in rows if not r["signed_by_me"]),
    })


@membership_required(Role.MENTOR)
def my_mentees(request):
    rows = _open_rows(request.membership)
    return render(request, "trainees/my_mentees.html", {
        "rows": rows,
        "party_count": selectors.PARTY_COUNT,
        "to_sign": sum(1 for r in rows if not r["signed_by_me"]),
    })


def render_my_record(request, current: Enrolment | None = None, **forms):
    """The trainee's record; ``current`` (and bound ``forms``) when a form posted from here
    comes back with a mistake."""
    membership = request.membership
    today = timezone.localdate()
    trainee = (
        selectors.trainees_visible_to(membership=membership)
        .select_related("clinical_area", "line_manager", "mentor").first()
    )
    context = {"record": trainee, "rows": [], "party_count": selectors.PARTY_COUNT}
    if trainee is not None:
        enrolments = list(selectors.with_progress_figures(
            selectors.enrolments_visible_to(membership=membership).filter(trainee=trainee)
        ).select_related("contract").order_by("-enrolled_on"))
        context["rows"] = [selectors.progress_of(e, today) for e in enrolments]
        if current is None:
            # The one to work on: the latest open enrolment, else the latest.
            latest = enrolments[0] if enrolments else None
            current = next((e for e in enrolments if e.is_open), latest)
        if current is not None:
            context.update(enrolment_context(request, current, **forms))
    context["record"] = trainee
    return render(request, "trainees/my_record.html", context)


@membership_required(Role.TRAINEE)
def my_record(request):
    return render_my_record(request)


@membership_required(Role.TRAINING_LEAD, Role.PLANNER, Role.MANAGER)
def study_time_by_ward(request):
    """Where protected study time is lost, by ward and reason. One query for the figures."""
    form = PeriodForm(request.GET or None)
    weeks = form.cleaned_data["weeks"] if form.is_valid() else ""
    since = timezone.localdate() - timedelta(weeks=int(weeks)) if weeks else None
    reasons = dict(StudySession.LostReason.choices)
    wards: dict[str, dict] = {}
    for row in selectors.study_time_lost_by_area(membership=request.membership, since=since):
        name = row["enrolment__trainee__clinical_area__name"] or "No ward recorded"
        ward = wards.setdefault(name, {
            "name": name, "hours": Decimal(0), "sessions": 0, "covered": 0, "reasons": [],
        })
        ward["hours"] += row["hours"]
        ward["sessions"] += row["sessions"]
        ward["covered"] += row["covered"]
        label = reasons.get(row["lost_reason"], row["lost_reason"])
        ward["reasons"].append({**row, "label": label})
    return render(request, "trainees/study_time_by_ward.html", {
        "form": form,
        "wards": sorted(wards.values(), key=lambda w: (-w["hours"], w["name"])),
        "since": since,
        "managed_only": request.membership.role == Role.MANAGER,  # a manager sees their own trainees
    })


@membership_required(Role.MANAGER)
def study_week(request):
    """The ward week: every trainee the manager line-manages, Monday to Friday, taken or lost
    with the reason, in one save. Queries: the enrolments and that week's sessions (2)."""
    from django.contrib import messages
    from django.core.exceptions import ValidationError
    from django.shortcuts import redirect

    from .. import study_week as week

    monday = week.parse_week(request.POST.get("week") or request.GET.get("week"))
    enrolments = list(week.week_enrolments(membership=request.membership, monday=monday))
    posted = request.method == "POST"
    rows = week.build_rows(enrolments, monday, request.POST if posted else None)
    problem = ""
    if posted:
        entries = week.check_rows(rows)
        if entries:
            try:
                week.study_week_record(actor=request.user, entries=entries)
            except ValidationError as error:
                problem = " ".join(error.messages)
            else:
                messages.success(request, (
                    f"{len(entries)} session{'s' if len(entries) != 1 else ''} of study time "
                    f"logged for the week of {monday:%-d %B %Y}."
                ))
                return redirect(f"{request.path}?week={monday.isoformat()}")
        elif not any(cell.error for row in rows for cell in row.cells):
            problem = "Fill in at least one day: the hours and whether they were taken or lost."
    errors = [cell for row in rows for cell in row.cells if cell.error]
    return render(request, "trainees/study_week.html", {
        "monday": monday, "days": [monday + timedelta(days=i) for i in range(week.DAYS)],
        "rows": rows, "choices": week.CHOICES, "errors": errors, "problem": problem,
        "previous_week": monday - timedelta(weeks=1),
        "next_week": monday + timedelta(weeks=1) if monday + timedelta(weeks=1) <= timezone.localdate() else None,
    })
