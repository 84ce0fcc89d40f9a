"""Drafts: "Save as draft" keeps a form as typed, without validating its required fields and
without submitting or notifying anyone; the person's pages list their drafts; opening the form
again fills it in; submitting it for real deletes the draft (core.models.FormDraft).

Views use it in three steps:

    if request.POST.get("action") == "draft":
        draft_save(user=..., key=..., title=..., url=..., data=request.POST)
    form = SomeForm(); fill_from_draft(form, draft_for(user=..., key=...))
    ... after the service succeeds: draft_discard(user=..., key=...)
"""

from __future__ import annotations

from django import forms as django_forms
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import QueryDict

from .models import FormDraft
from .prepared import Param, Read, compiled_once, read

NOT_KEPT = {"csrfmiddlewaretoken", "action", "version"}
MAX_VALUE = 100_000  # characters a field's value may keep (far beyond any real account)
DRAFT_ACTION = "draft"
DISCARD_ACTION = "discard-draft"


def _storable(value) -> str:
    """The value as text PostgreSQL can keep: no NUL characters (typed by no one, sent by
    hostile clients; a JSON column refuses them), at most MAX_VALUE characters."""
    return str(value).replace("\x00", "")[:MAX_VALUE]


def wants_draft(request) -> bool:
    return request.method == "POST" and request.POST.get("action") == DRAFT_ACTION


def wants_discard(request) -> bool:
    return request.method == "POST" and request.POST.get("action") == DISCARD_ACTION


@transaction.atomic
def draft_save(*, user, key: str, title: str, url: str, data: QueryDict) -> FormDraft:
    """Keep the form's fields as sent (one draft per person and form: saving again replaces
    it). Nothing is validated but size."""
    kept = {
        name: [_storable(v) for v in data.getlist(name)]
        for name in data
        if name not in NOT_KEPT
    }
    draft, _ = FormDraft.objects.update_or_create(
        user=user, key=key,
        defaults={"title": _storable(title or "").strip()[:300] or "Untitled draft", "url": url, "data": kept},
    )
    return draft


def draft_for(*, user, key: str) -> FormDraft | None:
    if not user.is_authenticated:
        return None
    return FormDraft.objects.filter(user=user, key=key).first()


def draft_discard(*, user, key: str) -> None:
    FormDraft.objects.filter(user=user, key=key).delete()


# What each draft is about, named in one place: the forms use these keys, and erasure finds a
# trainee's drafts by them (a mentor's draft review of an erased trainee's enrolment included).
def evidence_draft_key(trainee_pk: int) -> str:
    return f"evidence:new:trainee-{trainee_pk}"


def review_draft_key(enrolment_pk: int) -> str:
    return f"review:enrolment-{enrolment_pk}"


def drafts_about(*, user_pk: int | None, trainee_pk: int, enrolment_pks) -> QuerySet[FormDraft]:
    """Every draft the person typed (``user_pk``, their login, if they have one), and every
    draft anyone typed about them (their evidence, reviews of their enrolments): what the
    subject access export lists and erasure deletes."""
    keys = [evidence_draft_key(trainee_pk)] + [review_draft_key(pk) for pk in enrolment_pks]
    about = Q(key__in=keys)
    if user_pk is not None:
        about |= Q(user_id=user_pk)
    return FormDraft.objects.filter(about)


def drafts_about_delete(*, user_pk: int | None, trainee_pk: int, enrolment_pks) -> int:
    """Erasure: every draft the person typed, and every draft anyone typed about them."""
    deleted, _ = drafts_about(user_pk=user_pk, trainee_pk=trainee_pk, enrolment_pks=enrolment_pks).delete()
    return deleted


def drafts_for(user) -> list[dict]:
    """The person's drafts, newest first: their key, title, url and updated_at. One query,
    compiled once (core.prepared): every home page lists them."""
    return read(drafts_read(user))


def drafts_read(user) -> Read:
    """drafts_for's statement and values, for a page that reads it with others (read_together)."""
    return Read(_drafts_of(), {"user_id": user.pk})


@compiled_once
def _drafts_of() -> QuerySet[FormDraft]:
    return FormDraft.objects.filter(user_id=Param("user_id")).values("key", "title", "url", "updated_at")


def fill_from_draft(form: django_forms.Form, draft: FormDraft | None) -> django_forms.Form:
    """Show an unbound form with the draft's values (each field's widget reads them back as it
    would from a request, so split dates and checkbox lists come back as typed)."""
    if draft is None:
        return form
    data = QueryDict(mutable=True)
    for name, values in (draft.data or {}).items():
        data.setlist(name, values)
    for name, field in form.fields.items():
        if isinstance(field.widget, django_forms.FileInput) or name in NOT_KEPT:
            continue
        html_name = form.add_prefix(name)
        if not field.widget.value_omitted_from_data(data, {}, html_name):
            form.initial[name] = field.widget.value_from_datadict(data, {}, html_name)
    form.draft = draft
    return form
