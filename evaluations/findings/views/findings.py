"""What the coding shows: themes with counts and consented quotes, trainees and managers apart;
for a cohort, how they change from the start to qualification."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.access import membership_required
from evaluations.interviews.selectors import get_stage_for
from programmes.selectors import can_change_programme, get_cohort_for

from .. import selectors
from ..export import families_of

QUOTES_SHOWN = 5  # per theme, per subject


@require_GET
@membership_required(*selectors.FINDINGS_READERS)
def stage_findings(request: HttpRequest, stage_pk: int) -> HttpResponse:
    stage = get_stage_for(membership=request.membership, pk=stage_pk)
    findings = selectors.findings_for(stage=stage, max_quotes=QUOTES_SHOWN)
    return render(request, "evaluations/findings/stage_findings.html", {
        "stage": stage, "cohort": stage.cohort, "programme": stage.cohort.programme,
        "findings": findings,
        "can_code": can_change_programme(request.membership, stage.cohort.programme),
    })


@require_GET
@membership_required(*selectors.FINDINGS_READERS)
def cohort_findings(request: HttpRequest, cohort_pk: int) -> HttpResponse:
    cohort = get_cohort_for(membership=request.membership, pk=cohort_pk, evaluation=True)
    findings = selectors.findings_for(cohort=cohort, max_quotes=QUOTES_SHOWN)
    can_code = can_change_programme(request.membership, cohort.programme)
    return render(request, "evaluations/findings/cohort_findings.html", {
        "cohort": cohort, "programme": cohort.programme, "findings": findings,
        "changes": [(change, change.chart()) for change in findings.changes],
        "families": families_of(cohort=cohort, stage_ids=[pk for stage in findings.stages for pk in stage.stage_ids]),
        "can_code": can_code,
    })
