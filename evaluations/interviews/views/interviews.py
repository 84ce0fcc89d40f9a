"""One interview: reading it, recording it; and the interviews a person must get done."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from core.access import membership_required
from core.forms import add_service_errors
from programmes.models import Role

from ...models import Answer, Interview, Question, Stage
from .. import selectors, services
from ..due import interview_title
from ..forms import InterviewForm

# Trainees may ask for an interview page, and get 404 for every one: interviews are not shown
# to trainees (not even their own). Mentors and lecturers are refused outright.
INTERVIEW_ROLES = (Role.TRAINING_LEAD, Role.PLANNER, Role.MANAGER, Role.TRAINEE)


@membership_required(*INTERVIEW_ROLES)
def interview_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Queries: the interview with its people and stage, its answers, its questions."""
    membership = request.membership
    interview = selectors.get_interview_for(membership=membership, pk=pk)
    return render(request, "evaluations/interviews/interview_detail.html", {
        "interview": interview,
        "title": interview_title(interview, membership.user_id),
        "subject_name": selectors.subject_name(interview),
        "answered": selectors.answered_questions(interview),
        "can_record": selectors.can_record(membership, interview),
        "overdue": interview.status in selectors.PENDING and interview.stage.due_on < timezone.localdate(),
        "back": _back(membership, interview),
    })


def _back(membership, interview: Interview) -> tuple[str, str]:
    if membership.role in selectors.ORGANISATION_WIDE:
        url = reverse("interviews:stage_detail", kwargs={"pk": interview.stage_id})
        return url, f"Back to the {interview.stage.name} stage"
    return reverse("interviews:my_interviews"), "Back to your interviews"


@require_http_methods(["GET", "POST"])
@membership_required(*INTERVIEW_ROLES)
def interview_record(request: HttpRequest, pk: int) -> HttpResponse:
    membership = request.membership
    interview = selectors.get_interview_for(membership=membership, pk=pk)
    if not selectors.may_record(membership, interview):
        raise PermissionDenied(
            "Only the person responsible for this interview, or a training lead, can record it."
        )
    if interview.status not in selectors.PENDING:
        status = interview.get_status_display().lower()
        messages.info(request, f"This interview is {status}: it can no longer be changed.")
        return redirect("interviews:interview_detail", pk=interview.pk)
    if request.method == "GET":
        started = services.interview_start(interview=interview, actor=request.user)
        interview.instrument_id, interview.version = started.instrument_id, started.version

    questions = list(Question.objects.filter(instrument_id=interview.instrument_id).order_by("order", "pk"))
    answers = {a.question_id: a for a in Answer.objects.filter(interview=interview)}
    complete = request.POST.get("action") == "complete"
    form = InterviewForm(
        request.POST if request.method == "POST" else None,
        interview=interview, questions=questions, answers=answers, user=request.user,
        complete=complete,
    )
    saved_by_other = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            interview = services.interview_save(
                interview=interview, actor=request.user, answers=form.answers(),
                interviewer=data["interviewer"], held_on=data["held_on"],
                consent_to_quote=data["consent_to_quote"], complete=complete,
                expected_version=data["version"],
            )
        except services.StaleEdit as error:
            add_service_errors(form, error)
            # Show what the other person saved, and let a second, deliberate save keep these
            # answers: the form now carries the version just read.
            current = Interview.objects.select_related("instrument").get(pk=interview.pk)
            saved_by_other = selectors.answered_questions(current)
            form.data = form.data.copy()
            form.data["version"] = str(current.version)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if complete:
                messages.success(request, "Interview completed. Thank you.")
            else:
                messages.success(request, "Draft saved. You can come back and finish it later.")
            return redirect("interviews:interview_detail", pk=interview.pk)
    return render(request, "evaluations/interviews/interview_form.html", {
        "interview": interview,
        "title": interview_title(interview, membership.user_id),
        "subject_name": selectors.subject_name(interview),
        "form": form,
        "saved_by_other": saved_by_other,
    })


@membership_required(Role.TRAINING_LEAD, Role.PLANNER, Role.MANAGER)
def my_interviews(request: HttpRequest) -> HttpResponse:
    """The interviews the person must get done (overdue, due, in progress) and has done. One
    query, whatever their number."""
    membership = request.membership
    today = timezone.localdate()
    rows = []
    for interview in selectors.my_interviews(membership=membership):
        rows.append({
            "interview": interview,
            "title": interview_title(interview, membership.user_id),
            "overdue": interview.stage.due_on < today,
        })
    pending = [r for r in rows if r["interview"].status in selectors.PENDING]
    open_pending = [r for r in pending if r["interview"].stage.status == Stage.Status.OPEN]
    return render(request, "evaluations/interviews/my_interviews.html", {
        "overdue": [r for r in open_pending if r["overdue"]],
        "due": [r for r in open_pending if not r["overdue"]],
        "late": [r for r in pending if r["interview"].stage.status == Stage.Status.CLOSED],
        "done": sorted(
            (r for r in rows if r["interview"].status == Interview.Status.DONE),
            key=lambda r: (r["interview"].held_on or today), reverse=True,
        ),
    })
