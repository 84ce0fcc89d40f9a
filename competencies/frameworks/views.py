"""Framework pages: browse (everyone signed in), download as a Moodle file (anyone who can see
the framework), import one (training leads, into their own organisation), and set how long its
sign-offs stay valid and which of its competencies are delegated tasks (the training leads of
the organisation that owns it).

Importing is upload, then preview, then confirm. The upload is checked in full first (every
problem listed with its line, nothing kept); a good file is kept on the server (see
``pending.py``) while the lead looks at the preview, and the confirm imports exactly that file.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.access import membership_required
from core.forms import add_service_errors
from programmes.models import Role

from ..access import can_change_framework, get_framework_for
from ..evidence.services import policy_for
from . import moodle_csv, selectors
from . import pending as pending_files
from .forms import FrameworkUploadForm, FrameworkValidityForm
from .services import (
    ValidityChange,
    framework_export,
    framework_import,
    framework_import_problems,
    framework_validity_update,
)
from .text import description_blocks


@require_GET
@membership_required()
def framework_list(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    return render(
        request,
        "competencies/frameworks/framework_list.html",
        {
            "families": selectors.framework_families_for(membership=membership),
            "can_import": membership.role == Role.TRAINING_LEAD,
        },
    )


@require_GET
@membership_required()
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_framework_for(membership=request.membership, pk=pk)
    tree = selectors.framework_tree(framework=framework)
    scale = framework.scale
    return render(
        request,
        "competencies/frameworks/framework_detail.html",
        {
            "framework": framework,
            "tree": tree,
            "description": description_blocks(framework.description, framework.description_format),
            "scale_levels": [
                {**level, "default": index == scale.default_index}
                for index, level in enumerate(scale.levels)
            ],
            "can_change": can_change_framework(request.membership, framework),
        },
    )


def _validity_saved(change: ValidityChange) -> str:
    if not change.changed:
        return "Nothing was changed."
    said = "Validity and delegated tasks saved."
    count, expired = change.versions_changed, change.expired
    if count:
        said += f" {count} current sign-off{'s' if count != 1 else ''} now run{'' if count != 1 else 's'}"
        said += " for the new period"
        said += f", of which {expired} ha{'ve' if expired != 1 else 's'} expired." if expired else "."
    return said


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def framework_validity(request: HttpRequest, pk: int) -> HttpResponse:
    """How long the framework's sign-offs stay valid, and per competency its own period and
    whether it is a delegated task: one table, one save."""
    membership = request.membership
    framework = get_framework_for(membership=membership, pk=pk, write=True)
    competencies = selectors.framework_competencies(framework=framework)
    form = FrameworkValidityForm(request.POST or None, framework=framework, competencies=competencies)
    if request.method == "POST" and form.is_valid():
        try:
            change = framework_validity_update(
                framework=framework,
                membership=membership,
                validity_months=form.cleaned_data["validity_months"],
                competencies=form.cleaned_competencies(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _validity_saved(change))
            return redirect("frameworks:detail", pk=framework.pk)
    return render(
        request,
        "competencies/frameworks/framework_validity.html",
        {
            "framework": framework,
            "form": form,
            "delegated_default": policy_for(membership.organisation_id).delegated_task_validity_months,
        },
    )


def _filename(id_number: str) -> str:
    return (re.sub(r"[^A-Za-z0-9._-]+", "-", id_number).strip("-.") or "framework") + ".csv"


@require_GET
@membership_required()
def framework_export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    framework = get_framework_for(membership=request.membership, pk=pk)
    try:
        text = framework_export(framework=framework)
    except moodle_csv.MoodleCsvError as exc:
        # Only possible after hand edits that Moodle could not read back: say what, not 500.
        return render(
            request,
            "competencies/frameworks/framework_export_error.html",
            {"framework": framework, "problems": exc.problems},
            status=409,
        )
    return HttpResponse(
        text.encode("utf-8"),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{_filename(framework.id_number)}"'},
    )


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def framework_import_upload(request: HttpRequest) -> HttpResponse:
    form = FrameworkUploadForm(request.POST or None, request.FILES or None)
    problems: list = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_bytes()
        encoding, delimiter = form.cleaned_data["encoding"], form.delimiter_character
        try:
            parsed = moodle_csv.read_framework(data, encoding=encoding, delimiter=delimiter)
        except moodle_csv.MoodleCsvError as exc:
            problems = [(p.line, p.message) for p in exc.problems]
        else:
            problems = [
                (None, message)
                for message in framework_import_problems(
                    parsed=parsed, organisation=request.membership.organisation
                )
            ]
        if problems:
            count = len(problems)
            form.add_error(
                "file",
                f"The file has {count} problem{'s' if count != 1 else ''}: nothing was imported. "
                f"Fix {'them' if count != 1 else 'it'} and upload the file again",
            )
        else:
            kept = pending_files.pending_save(
                request,
                data=data,
                original_name=form.cleaned_data["file"].name,
                encoding=encoding,
                delimiter=delimiter,
            )
            return redirect("frameworks:import_preview", token=kept.token)
    return render(
        request,
        "competencies/frameworks/framework_import.html",
        {"form": form, "problems": problems},
    )


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def framework_import_preview(request: HttpRequest, token: str) -> HttpResponse:
    kept = pending_files.pending_get(request, token)
    organisation = request.membership.organisation
    errors: list[str] = []
    try:
        parsed = moodle_csv.read_framework(
            kept.read(), encoding=kept.encoding, delimiter=kept.delimiter
        )
    except moodle_csv.MoodleCsvError as exc:  # checked at upload; only if the file changed since
        pending_files.pending_discard(request, kept)
        messages.error(request, f"The uploaded file can no longer be read: {exc}")
        return redirect("frameworks:import")

    if request.method == "POST":
        if "cancel" in request.POST:
            pending_files.pending_discard(request, kept)
            messages.info(request, "The import was cancelled: nothing was imported.")
            return redirect("frameworks:import")
        try:
            framework = framework_import(
                parsed=parsed, organisation=organisation, actor=request.user
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            pending_files.pending_discard(request, kept)
            count = len(parsed.competencies)
            messages.success(
                request,
                f"{framework.short_name} was imported with {count} "
                f"compet{'ency' if count == 1 else 'encies'}.",
            )
            return redirect("frameworks:detail", pk=framework.pk)
    else:
        errors = framework_import_problems(parsed=parsed, organisation=organisation)

    return render(
        request,
        "competencies/frameworks/framework_import_preview.html",
        {
            "pending": kept,
            "preview": selectors.import_preview(parsed),
            "warnings": parsed.warnings,
            "errors": errors,
        },
    )
