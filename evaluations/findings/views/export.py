"""The REDCap-style CSV of one instrument family's interviews in a cohort."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from core.access import membership_required
from programmes.selectors import can_change_programme, get_cohort_for

from ...models import Instrument
from .. import selectors
from ..export import instrument_export as build_export


@require_GET
@membership_required(*selectors.FINDINGS_READERS)
def instrument_export(request: HttpRequest, cohort_pk: int, family: str) -> HttpResponse:
    """Training leads of the lead organisation get names; planners get pseudonymous ids (see
    evaluations/findings/export.py). ?include=all adds interviews not completed."""
    membership = request.membership
    cohort = get_cohort_for(membership=membership, pk=cohort_pk, evaluation=True)
    try:
        export = build_export(
            cohort=cohort, family=family,
            with_names=can_change_programme(membership, cohort.programme),
            include_all=request.GET.get("include") == "all",
        )
    except Instrument.DoesNotExist as exc:
        raise Http404("No such instrument.") from exc
    response = HttpResponse(export.as_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response
