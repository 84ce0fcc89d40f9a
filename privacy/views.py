"""A trainee's personal data, for training leads of their organisation: what has been done
with it, the subject access export (a ZIP) and erasure."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.access import membership_required
from core.http import post_only
from core.jobs import QueueUnavailable
from programmes.models import Role

from . import selectors, services
from .forms import EraseForm


@membership_required(Role.TRAINING_LEAD)
@require_http_methods(["GET"])
def personal_data(request, pk: int):
    trainee = selectors.get_trainee_for_privacy(membership=request.membership, pk=pk)
    events = selectors.privacy_events_of(trainee=trainee)
    return render(request, "privacy/personal_data.html", {
        "trainee": trainee,
        "events": events,
        "pending": any(event.is_pending for event in events),
        "blockers": services.erasure_blockers(trainee),
    })


@membership_required(Role.TRAINING_LEAD)
def export(request, pk: int):
    """Ask for an export: recorded now, put together by a worker; the personal-data page shows
    its progress and the download."""
    trainee = selectors.get_trainee_for_privacy(membership=request.membership, pk=pk)
    if refused := post_only(request):
        return refused
    try:
        services.subject_access_export_request(trainee=trainee, actor=request.user)
    except QueueUnavailable as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Ladder is putting the export together. It appears below when it is ready.")
    return redirect("privacy:personal_data", pk=trainee.pk)


@membership_required(Role.TRAINING_LEAD)
@require_http_methods(["GET", "HEAD"])
def export_download(request, pk: int, event_pk: int):
    trainee = selectors.get_trainee_for_privacy(membership=request.membership, pk=pk)
    event = selectors.get_export_for(trainee=trainee, pk=event_pk)
    try:
        handle = event.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("The export file is missing.") from exc
    response = FileResponse(handle, as_attachment=True, filename=event.file_name, content_type="application/zip")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@membership_required(Role.TRAINING_LEAD)
@require_http_methods(["GET", "POST"])
def erase(request, pk: int):
    trainee = selectors.get_trainee_for_privacy(membership=request.membership, pk=pk)
    blockers = services.erasure_blockers(trainee)
    form = EraseForm(request.POST or None, full_name=trainee.full_name)
    if request.method == "POST" and not blockers and form.is_valid():
        try:
            services.trainee_erase(trainee=trainee, actor=request.user)
        except ValidationError as exc:
            blockers = exc.messages
        else:
            messages.success(
                request, "Their personal data was erased. The anonymised record keeps the programme's figures."
            )
            return redirect("privacy:personal_data", pk=trainee.pk)
    status = 409 if request.method == "POST" and blockers else 200
    return render(request, "privacy/erase_confirm.html", {
        "trainee": trainee, "form": form, "blockers": blockers,
    }, status=status)
