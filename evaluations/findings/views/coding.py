"""Coding a stage's completed interviews: each free-text answer gets themes, an optional
excerpt and, with the interviewee's consent, a "quotable" tick. One form per answer, so a lead
can save as they go (no JavaScript needed)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from core.access import membership_required
from core.forms import add_service_errors
from evaluations.interviews.selectors import get_stage_for
from programmes.models import Role

from ...models import Subject, Theme
from .. import selectors, services
from ..forms import CodingForm


def _form(entry, item, themes, data=None) -> CodingForm:
    who = "trainee" if entry.interview.subject == Subject.TRAINEE else "manager"
    return CodingForm(
        data, prefix=f"answer-{item.answer.pk}", theme_choices=themes,
        can_quote=entry.can_quote, who=who,
        initial={"themes": [str(pk) for pk in item.theme_ids], "excerpt": item.excerpt,
                 "is_quote": item.is_quote},
    )


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def coding(request: HttpRequest, stage_pk: int) -> HttpResponse:
    stage = get_stage_for(membership=request.membership, pk=stage_pk, write=True)
    url = reverse("findings:coding", kwargs={"stage_pk": stage.pk})
    themes = list(Theme.objects.filter(programme_id=stage.cohort.programme_id).order_by("name"))
    choices = [(str(t.pk), t.name) for t in themes]
    sheet = selectors.coding_sheet(stage=stage)
    posted_pk, posted_form = None, None
    if request.method == "POST":
        try:
            posted_pk = int(request.POST.get("answer", ""))
        except ValueError as exc:
            raise Http404("No such answer in this stage.") from exc
        found = next(((e, i) for e in sheet for i in e.answers if i.answer.pk == posted_pk), None)
        if found is None:
            raise Http404("No such answer among this stage's completed interviews.")
        entry, item = found
        posted_form = _form(entry, item, choices, request.POST)
        if posted_form.is_valid():
            by_pk = {t.pk: t for t in themes}
            data = posted_form.cleaned_data
            try:
                services.answer_coding_set(
                    answer=item.answer, themes=[by_pk[pk] for pk in data["themes"]],
                    excerpt=data["excerpt"], is_quote=data["is_quote"], actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(posted_form, error)
            else:
                return redirect(f"{url}?saved={item.answer.pk}#answer-{item.answer.pk}")
    saved = request.GET.get("saved", "")
    blocks = []
    coded = total = 0
    for entry in sheet:
        forms = []
        for item in entry.answers:
            form = posted_form if item.answer.pk == posted_pk else _form(entry, item, choices)
            forms.append((item, form))
            total += 1
            coded += bool(item.theme_ids)
        blocks.append((entry, forms))
    return render(request, "evaluations/findings/coding.html", {
        "stage": stage, "cohort": stage.cohort, "programme": stage.cohort.programme,
        "blocks": blocks, "themes": themes, "coded": coded, "total": total,
        "saved": saved, "form": posted_form,
    })
