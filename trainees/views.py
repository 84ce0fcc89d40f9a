"""Placeholder: the cohort page (trainees and their status) is being built in this module."""

from django.shortcuts import render

from programmes.access import membership_required
from programmes.selectors import get_cohort_for


@membership_required()
def cohort_detail(request, pk: int):
    cohort = get_cohort_for(membership=request.membership, pk=pk)
    return render(request, "trainees/cohort_detail.html", {"cohort": cohort})
