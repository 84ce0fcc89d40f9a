"""The cohort page (its trainees and how each is doing) and enrolling a trainee on it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import EMPTY_VALUES
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.access import membership_required
from core.forms import add_service_errors
from core.links import url_with_pk
from core.pagination_html import pagination_html
from programmes.models import Role
from programmes.selectors import can_change_programme, get_cohort_for, lecturers_of

from .. import selectors, services
from ..filters import CohortEnrolmentFilter
from ..forms import EnrolForm, constraint_fields


def _import_url(cohort) -> str | None:
    # The CSV import is built beside this page; link to it once it exists.
    try:
        return url_with_pk("enrolment_import:upload", cohort.pk, kwarg="cohort_pk")
    except NoReverseMatch:
        return None


COHORT_PAGE_SIZE = 25  # trainees a page of the cohort page
BELOW_PLAN_SHOWN = 20  # names in the below-plan card; the filter lists them all


@membership_required()
def cohort_detail(request, pk: int):
    """Queries, whatever the cohort's size: the cohort, its lecturers, and what the page shows
    of every trainee (selectors.cohort_overview: the first BELOW_PLAN_SHOWN below plan with how
    many are, the ward choices, and with no filter the page's rows with their count). A filter
    given: its page with its count, and when it narrows the list, the count of every trainee.
    Only the rows shown get their figures worked out in Python."""
    membership = request.membership
    cohort = get_cohort_for(membership=membership, pk=pk)
    today = timezone.localdate()
    filtered = any(request.GET.get(name) for name in FILTERS)
    overview = selectors.cohort_overview(
        membership=membership, cohort=cohort, today=today, first=BELOW_PLAN_SHOWN,
        number=request.GET.get("page"), per_page=None if filtered else COHORT_PAGE_SIZE,
    )
    filterset = CohortEnrolmentFilter(request.GET or None, wards=overview.wards)
    page, total = overview.page, None
    if filtered:  # else every value of the filter is empty: the overview's page is every row's
        page = selectors.cohort_page(
            membership=membership, cohort=cohort, filterset=filterset, number=request.GET.get("page"),
            per_page=COHORT_PAGE_SIZE, today=today,
        )
        if _narrowed(filterset):
            total = selectors.enrolments_on_cohort(membership=membership, cohort=cohort).count()
    can_enrol = can_change_programme(membership, cohort.programme)
    return render(request, "trainees/cohort_detail.html", {
        "cohort": cohort,
        "links": _links(cohort),
        "lecturers": lecturers_of(cohort),
        "filter": filterset,
        "page_obj": page,
        # includes/pagination.html's markup for less (core.pagination_html).
        "pagination_html": pagination_html(page, request.GET),
        "rows": page.object_list,
        "total": page.paginator.count if total is None else total,
        "below_plan": overview.below_plan,
        "below_plan_count": overview.below_plan_count,
        "party_count": selectors.PARTY_COUNT,
        "warning_percent": int(selectors.STUDY_TIME_WARNING * 100),
        "can_enrol": can_enrol,
        "import_url": _import_url(cohort) if can_enrol else None,
        # Role decisions are made here, not in the template: trainees see no programme pages.
        "may_see_programme": membership.role != Role.TRAINEE,
        "may_evaluate": membership.role in (Role.TRAINING_LEAD, Role.PLANNER),
        "filtered": filtered,
    })


FILTERS = ("q", "status", "ward", "study")  # CohortEnrolmentFilter's


def _links(cohort) -> dict[str, str]:
    """The page's links, each reversed once a process (core.links), not by {% url %} on each
    visit: the same URLs."""
    return {
        "programme": url_with_pk("programmes:detail", cohort.programme_id, kwarg="pk"),
        "matrix": url_with_pk("evidence:matrix", cohort.pk, kwarg="cohort_pk"),
        "stages": url_with_pk("interviews:cohort_stages", cohort.pk, kwarg="cohort_pk"),
        "findings": url_with_pk("findings:cohort_findings", cohort.pk, kwarg="cohort_pk"),
        "enrol": url_with_pk("trainees:enrol", cohort.pk),
        "cohort": url_with_pk("trainees:cohort_detail", cohort.pk),
    }


def _narrowed(filterset) -> bool:
    """Whether the filter left out any row: a value given, and valid (django-filter applies
    only those). When not, the page's count is every trainee's."""
    return filterset.is_bound and any(value not in EMPTY_VALUES for value in filterset.form.cleaned_data.values())


@membership_required(Role.TRAINING_LEAD)
@require_http_methods(["GET", "POST"])
def enrol(request, pk: int):
    cohort = get_cohort_for(membership=request.membership, pk=pk, write=True)
    form = EnrolForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        trainee = form.cleaned_data["trainee"]
        try:
            enrolment = services.enrolment_create(
                trainee=trainee, cohort=cohort, actor=request.user,
                enrolled_on=form.cleaned_data["enrolled_on"], status=form.cleaned_data["status"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, by_message=constraint_fields())
        else:
            messages.success(request, f"{trainee.full_name} is enrolled on {cohort.name}.")
            return redirect("trainees:enrolment_detail", pk=enrolment.pk)
    return render(request, "trainees/enrol.html", {"cohort": cohort, "form": form})
