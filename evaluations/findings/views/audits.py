"""Audit tools (an organisation's), audit rounds and a programme's audit trends."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from core.access import membership_required
from core.forms import add_service_errors
from programmes.models import Role
from programmes.selectors import can_change_programme, get_programme_for

from ...models import ProgrammeStage, Stage
from .. import selectors, services
from ..forms import AuditRoundForm, AuditToolChoiceForm, AuditToolForm


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def audit_tools(request: HttpRequest) -> HttpResponse:
    """The acting organisation's audit tools, and a form to add one. The ready-made physical
    healthcare assessment audit is ensured here, the first time anyone looks."""
    organisation = request.membership.organisation
    services.audit_tools_ensure_defaults(organisation=organisation)
    form = AuditToolForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            tool = services.audit_tool_create(organisation=organisation, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Audit tool “{tool.name}” added.")
            return redirect(reverse("findings:audit_tools"))
    return render(request, "evaluations/findings/audit_tools.html", {
        "tools": selectors.audit_tools_for(organisation_id=organisation.pk), "form": form,
    })


def _stage_names(programme) -> list[str]:
    names: dict[str, str] = {}
    for name in list(
        ProgrammeStage.objects.filter(programme=programme).order_by("order").values_list("name", flat=True)
    ) + list(Stage.objects.filter(cohort__programme=programme).order_by("order").values_list("name", flat=True)):
        names.setdefault(name.strip().lower(), name.strip())
    return list(names.values())


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def audit_round_create(request: HttpRequest, programme_pk: int) -> HttpResponse:
    """Two steps without JavaScript: choose the tool (skipped when there is only one), then the
    round's details and a count per criterion of that tool."""
    programme = get_programme_for(membership=request.membership, pk=programme_pk, write=True, evaluation=True)
    services.audit_tools_ensure_defaults(organisation=programme.organisation)
    tools = selectors.audit_tools_for(organisation_id=programme.organisation_id)
    chooser = AuditToolChoiceForm(request.GET if "tool" in request.GET else None, tools=tools)
    tool = None
    if chooser.is_bound and chooser.is_valid():
        tool = chooser.cleaned_data["tool"]
    elif not chooser.is_bound and len(tools) == 1:
        tool = tools[0]
    if tool is None:
        return render(request, "evaluations/findings/audit_round_tool.html", {
            "programme": programme, "form": chooser,
        })
    wards = programme.clinical_areas.order_by("name")
    form = AuditRoundForm(
        request.POST if request.method == "POST" else None, tool=tool, criteria=tool.criteria.all(),
        wards=wards, stage_names=_stage_names(programme),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.audit_round_record(
                programme=programme, tool=tool, clinical_area=data["clinical_area"],
                stage_name=data["stage_name"], held_on=data["held_on"],
                records_sampled=data["records_sampled"], results=form.results(), actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{tool.name} on {data['clinical_area'].name} ({data['stage_name']}) recorded."
            )
            return redirect(reverse("findings:programme_audits", kwargs={"programme_pk": programme.pk}))
    return render(request, "evaluations/findings/audit_round_form.html", {
        "programme": programme, "tool": tool, "form": form, "several_tools": len(tools) > 1,
        "has_wards": wards.exists(),
    })


@require_GET
@membership_required(*selectors.FINDINGS_READERS)
def programme_audits(request: HttpRequest, programme_pk: int) -> HttpResponse:
    programme = get_programme_for(membership=request.membership, pk=programme_pk, evaluation=True)
    summary = selectors.audit_summary(programme=programme)
    return render(request, "evaluations/findings/programme_audits.html", {
        "programme": programme, "summary": summary,
        "trends": [(trend, trend.chart(chart_id=f"audit-trend-{i}")) for i, trend in enumerate(summary.trends, 1)],
        "can_record": can_change_programme(request.membership, programme),
    })
