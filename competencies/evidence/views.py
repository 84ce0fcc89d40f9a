"""Evidence pages, sign-off, the cohort progress matrix, portfolios and delegation readiness.
Who may use each: tests/access_entries/evidence.py.

Object pages fetch through the selectors (404 for what the person may not see), then check
what they may do (403), then, for actions, the method (405): so a GET of an action by someone
who may act is 405, and an outsider never learns an id exists.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, partial
from html import escape as escape_html

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.views.decorators.http import require_http_methods

from core.access import membership_required
from core.audit import history_for
from core.drafts import (
    draft_discard,
    draft_for,
    draft_save,
    evidence_draft_key,
    fill_from_draft,
    wants_discard,
    wants_draft,
)
from core.forms import add_service_errors
from core.http import post_only
from core.links import url_with_pk, urls_with_pk
from core.pagination import paginate
from core.pagination_html import pagination_html
from programmes.models import ClinicalArea, Role
from programmes.selectors import cohorts_visible_to, get_cohort_for
from trainees.selectors import enrolments_visible_to, get_trainee_for

from ..assessors import can_assess_trainee
from ..models import Evidence, EvidenceClaim, EvidenceComment, EvidenceFile, RoleProfileItem
from . import selectors, services
from .forms import (
    DelegationFilterForm,
    EvidenceEditForm,
    EvidenceForm,
    MatrixFilterForm,
    ReplyForm,
    ReturnForm,
    SignOffForm,
    StatusFilterForm,
)
from .matrix import MatrixColumn, MatrixPage, cell_of_code, matrix_page

PAGE_SIZE = 50


def _detail_url(evidence: Evidence, section: str = "") -> str:
    url = reverse("evidence:detail", kwargs={"pk": evidence.pk})
    return f"{url}#{section}" if section else url


# --- The list ---------------------------------------------------------------------------------------


@membership_required()
def evidence_list(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    form = StatusFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    unassigned = membership.role == Role.TRAINING_LEAD and request.GET.get("unassigned") == "1"
    evidence = selectors.evidence_list(membership=membership, status=status or None, unassigned=unassigned)
    page = paginate(request, evidence, PAGE_SIZE)
    own = selectors.own_trainee_record(membership)
    return render(request, "competencies/evidence/evidence_list.html", {
        "page": page,
        "draft": draft_for(user=request.user, key=evidence_draft_key(own.pk)) if own is not None else None,
        "filter_form": form,
        "filtered": bool(status) or unassigned,
        "unassigned": unassigned,
        "can_add": own is not None,
        "show_trainee": membership.role != Role.TRAINEE,
        "is_mentor": membership.role == Role.MENTOR,
    })


# --- Adding and changing evidence -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINEE)
def evidence_create(request: HttpRequest) -> HttpResponse:
    """Add evidence; or "Save as draft" (kept as typed, not validated, not submitted: the
    mentor sees nothing) and come back to it; submitting deletes the draft."""
    membership = request.membership
    trainee = selectors.own_trainee_record(membership)
    if trainee is None:
        raise Http404("You have no trainee record in this organisation yet: ask your training lead.")
    key = evidence_draft_key(trainee.pk)
    if wants_draft(request):
        draft_save(
            user=request.user, key=key, url=reverse("evidence:create"),
            title=f"Evidence: {request.POST.get('title', '').strip() or 'untitled'}", data=request.POST,
        )
        files = " Files are not kept in a draft: attach them when you submit." if request.FILES else ""
        messages.success(
            request,
            "Your draft is saved. It is not submitted: your mentor will not see it until you "
            f"submit it.{files}",
        )
        return redirect("evidence:create")
    if wants_discard(request):
        draft_discard(user=request.user, key=key)
        messages.success(request, "Your draft was deleted.")
        return redirect("evidence:list")
    items, others = selectors.competency_choices(membership=membership, trainee=trainee)
    posted = request.method == "POST"
    declaration = services.policy_for(trainee.organisation_id).trainee_declaration
    form = EvidenceForm(
        request.POST if posted else None, request.FILES if posted else None,
        profile_items=items, others=others, declaration=declaration,
    )
    draft = draft_for(user=request.user, key=key)
    if not posted:
        fill_from_draft(form, draft)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            evidence = services.evidence_submit(
                trainee=trainee, actor=request.user, title=data["title"], kind=data["kind"],
                occurred_on=data["occurred_on"], description=data["description"],
                competencies=form.chosen_competencies(), files=data["files"],
                declared=bool(data.get("agree")) if declaration else None,
            )
        except ValidationError as error:
            add_service_errors(form, error, redirect=form.error_redirect)
        else:
            draft_discard(user=request.user, key=key)
            mentor = trainee.mentor
            mentor_name = mentor and (mentor.get_full_name() or mentor.get_username())
            who = f" It is waiting for {mentor_name} to assess it." if mentor else ""
            messages.success(request, f"Your evidence “{evidence.title}” was submitted.{who}")
            return redirect(_detail_url(evidence))
    return render(request, "competencies/evidence/evidence_form.html", {
        "form": form, "trainee": trainee, "evidence": None, "draft": draft,
    })



@require_http_methods(["GET", "POST"])
@membership_required()
def evidence_edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership = request.membership
    evidence = selectors.get_evidence_for(membership=membership, pk=pk)
    if not selectors.is_own(membership, evidence):
        raise PermissionDenied("Only the trainee whose evidence this is can change it.")
    if not selectors.can_edit(membership, evidence):
        raise PermissionDenied("Signed-off evidence cannot be changed. Add new evidence instead.")
    items, others = selectors.competency_choices(membership=membership, trainee=evidence.trainee)
    files = list(evidence.files.order_by("uploaded_at", "pk"))
    posted = request.method == "POST"
    declaration = services.policy_for(evidence.trainee.organisation_id).trainee_declaration
    if posted:
        form = EvidenceEditForm(
            request.POST, request.FILES, evidence=evidence, files=files, profile_items=items, others=others,
            declaration=declaration,
        )
    else:
        claimed = [str(pk) for pk in evidence.claims.values_list("competency_id", flat=True)]
        in_profile = {str(item.competency_id) for item in items}
        form = EvidenceEditForm(
            evidence=evidence, files=files, profile_items=items, others=others, declaration=declaration,
            initial={
                "title": evidence.title, "kind": evidence.kind, "occurred_on": evidence.occurred_on,
                "description": evidence.description, "version": evidence.version,
                "competencies": [c for c in claimed if c in in_profile],
                "other_competencies": [c for c in claimed if c not in in_profile],
            },
        )
    if posted and form.is_valid():
        data = form.cleaned_data
        was_returned = evidence.status == Evidence.Status.RETURNED
        try:
            evidence = services.evidence_update(
                evidence=evidence, actor=request.user, title=data["title"], kind=data["kind"],
                occurred_on=data["occurred_on"], description=data["description"],
                competencies=form.chosen_competencies(), files=data["files"],
                remove_files=[int(pk) for pk in data.get("remove_files", [])],
                note=data.get("note", ""), expected_version=data["version"],
                declared=bool(data.get("agree")) if declaration else None,
            )
        except ValidationError as error:
            add_service_errors(form, error, redirect=form.error_redirect)
        else:
            messages.success(
                request,
                f"Your evidence “{evidence.title}” was resubmitted for assessment."
                if was_returned else f"Your changes to “{evidence.title}” were saved.",
            )
            return redirect(_detail_url(evidence))
    return render(request, "competencies/evidence/evidence_form.html", {
        "form": form, "trainee": evidence.trainee, "evidence": evidence,
    })


# --- The evidence page and what is done on it ----------------------------------------------------


def _render_detail(request: HttpRequest, evidence: Evidence, **forms) -> HttpResponse:
    """The evidence page: claims, files, the thread, and the forms this person may use. A fixed
    number of queries (claims, files, thread, the profile's targets for an assessor, the audit
    trail for a training lead)."""
    membership = request.membership
    page = selectors.evidence_page(evidence)
    assessor = can_assess_trainee(membership, evidence.trainee)
    waiting = evidence.status == Evidence.Status.SUBMITTED
    if assessor and waiting and "sign_off_form" not in forms:
        targets = selectors.targets_for(trainee=evidence.trainee)
        forms["sign_off_form"] = SignOffForm(
            initial={"version": evidence.version}, claims=page["claims"], targets=targets,
            statement=services.policy_for(evidence.trainee.organisation_id).assessor_statement,
        )
    if assessor and waiting:
        forms.setdefault("return_form", ReturnForm(initial={"version": evidence.version}))
    if selectors.can_reply(membership, evidence):
        forms.setdefault("reply_form", ReplyForm(trainee=selectors.is_own(membership, evidence)))
    audit_entries = None
    if membership.role == Role.TRAINING_LEAD and membership.organisation_id == evidence.trainee.organisation_id:
        audit_entries = history_for(evidence, related={
            EvidenceClaim: [c.pk for c in page["claims"]],
            EvidenceFile: [f.pk for f in page["files"]],
            EvidenceComment: [c.pk for c in page["thread"]],
        })
    failed = next((f for f in forms.values() if f is not None and f.is_bound and f.errors), None)
    return render(request, "competencies/evidence/evidence_detail.html", {
        "evidence": evidence,
        "trainee": evidence.trainee,
        **page,
        "can_assess": assessor,
        "can_edit": selectors.can_edit(membership, evidence),
        "is_own": selectors.is_own(membership, evidence),
        "audit_entries": audit_entries,
        "failed_form": failed,
        "sign_off_form": forms.get("sign_off_form"),
        "return_form": forms.get("return_form"),
        "reply_form": forms.get("reply_form"),
    })


@membership_required()
def evidence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, selectors.get_evidence_for(membership=request.membership, pk=pk))


def _assessor_evidence(request: HttpRequest, pk: int, action: str) -> Evidence:
    evidence = selectors.get_evidence_for(membership=request.membership, pk=pk)
    if not can_assess_trainee(request.membership, evidence.trainee):
        raise PermissionDenied(f"Only the trainee's mentor can {action} their evidence.")
    return evidence


@membership_required()
def evidence_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _assessor_evidence(request, pk, "sign off")
    if refused := post_only(request):
        return refused
    page = selectors.evidence_page(evidence)
    # Two buttons, two actions: a sign-off (every level at target) or progress below target.
    progress = request.POST.get("action") == "progress"
    statement = services.policy_for(evidence.trainee.organisation_id).assessor_statement
    form = SignOffForm(
        request.POST, claims=page["claims"], targets=selectors.targets_for(trainee=evidence.trainee),
        statement=statement,
    )
    if form.is_valid():
        try:
            evidence = services.evidence_sign_off(
                evidence=evidence, assessor=request.user, levels=form.levels(),
                comment=form.cleaned_data["comment"], expected_version=form.cleaned_data["version"],
                below_target=progress,
                statement_confirmed=bool(form.cleaned_data.get("agree")) if statement else None,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if progress:
                messages.success(
                    request,
                    f"You recorded {evidence.trainee.full_name}’s progress on “{evidence.title}”: "
                    "not yet at target, so it is not signed off.",
                )
            else:
                messages.success(request, f"You signed off “{evidence.title}” for {evidence.trainee.full_name}.")
            return redirect(_detail_url(evidence))
    return _render_detail(request, evidence, sign_off_form=form)


@membership_required()
def evidence_return(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _assessor_evidence(request, pk, "return")
    return return_to_trainee(
        request, evidence,
        send=partial(services.evidence_return, evidence=evidence, assessor=request.user),
        done=_detail_url(evidence),
        page=lambda form: _render_detail(request, evidence, return_form=form),
    )


def return_to_trainee(
    request: HttpRequest, evidence: Evidence, *, send: Callable[..., Evidence], done: str,
    page: Callable[[ReturnForm], HttpResponse],
) -> HttpResponse:
    """The body of every "return to the trainee" view once access is settled (the mentor's
    above, a partner's registered practitioner's in delegation.views): POST only (405
    otherwise); ``send(comment=, expected_version=)`` is the service that returns it, bound
    to who returns it; on success a message and a redirect to ``done``; otherwise ``page(form)``
    renders the evidence page with the form bound, its errors (the service's too) beside the
    comment."""
    if refused := post_only(request):
        return refused
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            send(comment=form.cleaned_data["comment"], expected_version=form.cleaned_data["version"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"You returned “{evidence.title}” to {evidence.trainee.full_name} with your comments."
            )
            return redirect(done)
    return page(form)


@membership_required()
def evidence_reply(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = selectors.get_evidence_for(membership=request.membership, pk=pk)
    if not selectors.can_reply(request.membership, evidence):
        raise PermissionDenied("Only the trainee and their mentor take part in this conversation.")
    if refused := post_only(request):
        return refused
    form = ReplyForm(request.POST, trainee=selectors.is_own(request.membership, evidence))
    if form.is_valid():
        try:
            services.evidence_reply(evidence=evidence, author=request.user, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Your message was added to the conversation.")
            return redirect(_detail_url(evidence, "thread"))
    return _render_detail(request, evidence, reply_form=form)


# Only images the uploads module checked and re-encoded are ever shown in place.
INLINE_IMAGE_TYPES = ("image/jpeg", "image/png")


@require_http_methods(["GET", "HEAD"])
@membership_required()
def evidence_file(request: HttpRequest, pk: int) -> FileResponse:
    """A file attached to evidence, to whoever may see the evidence (404 for anyone else),
    with the type found from its contents when it was uploaded. A download, except a photo
    asked for ``?inline=1``: the evidence page shows it in place (nothing left behind in the
    Downloads folder of a shared ward PC)."""
    record = selectors.get_evidence_file_for(membership=request.membership, pk=pk)
    try:
        handle = record.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("The file is missing.") from exc
    inline = request.GET.get("inline") == "1" and record.content_type in INLINE_IMAGE_TYPES
    response = FileResponse(
        handle, as_attachment=not inline, filename=record.original_name,
        content_type=record.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- The cohort progress matrix ----------------------------------------------------------------------

# Each cell's markup, written here rather than in the template: a matrix of 200 trainees by 60
# competencies has 12,000 cells, and Django's template engine takes seconds over that many; this
# takes milliseconds. Only numbers go into it (the level positions), so nothing needs escaping.
# Screen readers hear "2 / 3, not met"; the symbols are for the eye, as is the colour. The thin
# spaces and symbols are characters rather than entities: a page of 1,500 cells is 30 KB lighter.
_CELL_MET = (
    '<td class="ladder-matrix__cell--met">{reached}\u2009/\u2009{target} '
    '<span aria-hidden="true">\u2713</span><span class="nhsuk-u-visually-hidden">, met</span></td>'
)
_CELL_BELOW = (
    '<td class="ladder-matrix__cell--below">{reached}\u2009/\u2009{target} '
    '<span aria-hidden="true">\u2717</span><span class="nhsuk-u-visually-hidden">, not met</span></td>'
)
_CELL_NONE = (
    '<td class="ladder-matrix__cell--none"><span aria-hidden="true">\u2013</span>'
    '<span class="nhsuk-u-visually-hidden">nothing signed off</span>\u2009/\u2009{target}'
    '<span class="nhsuk-u-visually-hidden">, not met</span></td>'
)


_CELL_LAPSED = (
    '<td class="ladder-matrix__cell--lapsed"><span class="ladder-matrix__status">{label}</span>'
    '\u2009/\u2009{target}<span class="nhsuk-u-visually-hidden">, not met</span>{self}</td>'
)
_SELF = '<span class="ladder-matrix__self">self {level}</span>'
_LAPSED_LABELS = {"expired": "Expired", "withdrawn": "Withdrawn"}


def _cell_html(status: str, reached: int | None, target: int, met: bool, self_rated: int | None) -> str:
    own = _SELF.format(level=int(self_rated) + 1) if self_rated is not None else ""
    if status in _LAPSED_LABELS:
        return _CELL_LAPSED.format(label=_LAPSED_LABELS[status], target=int(target) + 1, self=own)
    if reached is None:
        html = _CELL_NONE.format(target=int(target) + 1)
    else:
        template = _CELL_MET if met else _CELL_BELOW
        html = template.format(reached=int(reached) + 1, target=int(target) + 1)
        if status == "expiring":
            html = html.replace('">', ' ladder-matrix__cell--expiring">', 1).replace(
                "</td>", '<span class="nhsuk-u-visually-hidden">, expiring</span></td>'
            )
    if own:
        html = html[: -len("</td>")] + own + "</td>"
    return html


# A row around its cells: the trainee's name (to their portfolio) and ward, then the targets met.
_ROW_HEAD = (
    '<tr class="nhsuk-table__row" data-testid="matrix-row">'
    '<th class="nhsuk-table__header ladder-matrix__trainee" scope="row"><a href="{}">{}</a>{}</th>'
)
_ROW_TAIL = (
    '<td class="nhsuk-table__cell nhsuk-table__cell--numeric ladder-matrix__total" data-testid="row-total">'
    "{}\u2009/\u2009{}</td></tr>"
)
_WARD = ' <span class="nhsuk-body-s ladder-matrix__ward">{}</span>'


class _ColumnCells(dict):
    """{code: its cell's markup, in UTF-8} for a column's target, each written the first time it
    is asked for (competencies.evidence.matrix describes the codes)."""

    def __init__(self, target: int):
        super().__init__()
        self.target = target

    def __missing__(self, code: str) -> bytes:
        html = self[code] = _cell_html(*cell_of_code(code, self.target)).encode()
        return html


def _rows_html(matrix: MatrixPage) -> bytes:
    """The rows of the table in UTF-8, from each row's cell codes (competencies.evidence.matrix).
    A page has a few dozen distinct cells (a code against a target) among its 1,500, so each is
    written and encoded once and reused, and looked up in C (map over the columns' dicts); the
    rows' own markup is here too, as the template engine took 4 ms over 25 of them. Each text
    escaped as format_html would (html.escape), the links reversed once (core.links). Bytes, for
    _with_rows: 220 KB of a 260 KB page, as text it was copied at each level of the template
    and encoded at the end."""
    by_target = {column.target: _ColumnCells(column.target) for column in matrix.columns}
    column_cells = [by_target[column.target] for column in matrix.columns]
    competency_count = len(column_cells)
    portfolio = urls_with_pk("evidence:portfolio", kwarg="trainee_pk")
    html = []
    for row in matrix.rows:
        codes = row.cells.split(",")
        if len(codes) != competency_count:
            raise ValueError(f"{len(codes)} cells for {competency_count} columns")
        ward = _WARD.format(escape_html(row.ward)) if row.ward is not None else ""
        html.append(_ROW_HEAD.format(escape_html(portfolio(row.trainee_id)), escape_html(row.full_name), ward).encode())
        html.extend(map(dict.__getitem__, column_cells, codes))
        html.append(_ROW_TAIL.format(int(row.met_count), competency_count).encode())
    return b"".join(html)


# Where the rows go in the rendered page (_with_rows): a comment no escaped text can make (its <).
_ROWS_PLACE = mark_safe("<!--matrix rows-->")  # noqa: S308 # nosec B308 (fixed)


def _with_rows(response: HttpResponse, rows: bytes) -> HttpResponse:
    """``response`` (the page, rendered with _ROWS_PLACE for its rows) with ``rows`` (_rows_html)
    in their place: the same page as the rows' text rendered in the template."""
    head, place, tail = response.content.partition(_ROWS_PLACE.encode())
    if place:  # a page without rows has no place for them
        response.content = b"".join((head, rows, tail))
    return response


# The competency headers too, for the same reason at a smaller scale: 60 of them took the template
# engine 3 ms, a third of the page's rendering. _columns_html escapes every text.
_COLUMN = (
    '<th class="nhsuk-table__header ladder-matrix__competency" scope="col" title="{} ({}). Target: {}.">'
    '<span class="ladder-matrix__id">{}</span> <span class="ladder-matrix__name">{}</span> '
    '<span class="nhsuk-u-visually-hidden">, {}, target {}</span>{}</th>'
)
_ROLE_SPECIFIC = mark_safe(' <span class="ladder-matrix__kind" aria-hidden="true">RS</span>')  # noqa: S308 # nosec B308 (fixed)


def _columns_html(columns: list[MatrixColumn]) -> str:
    """Escaped as format_html would (html.escape, which Django's escape is), each text once:
    60 headers through format_html took 2 ms, mostly in its machinery for lazy strings. The
    same columns make the same headers: kept for the columns (_headers_html)."""
    return _headers_html(tuple(columns))


@lru_cache(maxsize=64)
def _headers_html(columns: tuple[MatrixColumn, ...]) -> str:
    # Every visit to a cohort's matrix has the same columns (its programme's role profile): a
    # few dozen headers written and escaped once, not 300 escapes a visit. Keyed by everything
    # the headers show, so a changed profile has headers of its own.
    kinds: dict[str, str] = {}
    parts = []
    for column in columns:
        name, target = escape_html(column.name), escape_html(column.target_name)
        kind = kinds.get(column.kind)
        if kind is None:
            kind = kinds[column.kind] = escape_html(str(_KIND_NAMES.get(column.kind, column.kind)).lower())
        parts.append(_COLUMN.format(
            name, escape_html(column.framework), target, escape_html(column.id_number),
            escape_html(_shortened(column.name)), kind, target,
            _ROLE_SPECIFIC if column.kind == RoleProfileItem.Kind.ROLE_SPECIFIC else "",
        ))
    return mark_safe("".join(parts))  # noqa: S308 (each value escaped above) # nosec B308


_KIND_NAMES = dict(RoleProfileItem.Kind.choices)  # what get_kind_display says


def _shortened(name: str, length: int = 48) -> str:
    # Truncator normalises and measures the name character by character; a short name in
    # ASCII (most) comes back as it is.
    return name if len(name) <= length and name.isascii() else Truncator(name).chars(length)


# The footer's totals too: 60 of them cost the template engine 2 ms, most of it localising the
# two numbers of each (whole numbers, which Django writes as str() does: no grouping is set).
_TOTAL = '<td class="nhsuk-table__cell ladder-matrix__total" data-testid="column-total">{}\u2009/\u2009{}</td>'


def _totals_html(matrix: MatrixPage) -> str:
    everyone = int(matrix.trainee_count)
    return mark_safe("".join(_TOTAL.format(int(met), everyone) for met in matrix.met_counts))  # noqa: S308 (numbers only) # nosec B308


def _matrix(request: HttpRequest, cohort, kind: str | None, ward: int | None) -> MatrixPage:
    return matrix_page(
        cohort=cohort, membership=request.membership, kind=kind, ward_id=ward,
        page=request.GET.get("page"), per_page=selectors.MATRIX_PAGE_SIZE,
    )


@membership_required(*selectors.MATRIX_ROLES)
def cohort_matrix(request: HttpRequest, cohort_pk: int) -> HttpResponse:
    membership = request.membership
    cohort = get_cohort_for(membership=membership, pk=cohort_pk)
    # The page reads the cohort's wards (the filter's choices) with its rows: filtered as asked,
    # then, should the form refuse the ward asked for, read again as the form says (unfiltered).
    asked = MatrixFilterForm.asked(request.GET)
    matrix = _matrix(request, cohort, *asked)
    form = MatrixFilterForm(request.GET or None, wards=matrix.wards)
    kind, ward = form.filters()
    if (kind, ward) != asked:
        matrix = _matrix(request, cohort, kind, ward)
    return _with_rows(render(request, "competencies/evidence/cohort_matrix.html", {
        "cohort": cohort,
        # The page's links reversed once a process (core.links), not by {% url %} each visit.
        "back_url": url_with_pk("trainees:cohort_detail", cohort.pk, kwarg="pk"),
        "matrix_url": url_with_pk("evidence:matrix", cohort.pk, kwarg="cohort_pk"),
        "report_url": url_with_pk("reports:request_cohort_progress", cohort.pk, kwarg="cohort_pk"),
        "matrix": matrix,
        "columns_html": _columns_html(matrix.columns),
        "rows_html": _ROWS_PLACE,
        "totals_html": _totals_html(matrix),
        "page_obj": matrix.page_obj,
        # includes/pagination.html's markup for less (core.pagination_html).
        "pagination_html": pagination_html(matrix.page_obj, request.GET),
        "filter_form": form,
        "filtered": bool(kind or ward),
        "expiring_days": settings.ATTAINMENT_EXPIRING_DAYS,
        "scoped_note": {
            Role.MANAGER: "You see the trainees you manage.",
            Role.MENTOR: "You see the trainees you mentor.",
        }.get(membership.role, ""),
    }), _rows_html(matrix))


# --- Portfolios --------------------------------------------------------------------------------------


@membership_required()
def portfolio(request: HttpRequest, trainee_pk: int) -> HttpResponse:
    membership = request.membership
    trainee = get_trainee_for(membership=membership, pk=trainee_pk)
    assessor = can_assess_trainee(membership, trainee)
    return render(request, "competencies/evidence/portfolio.html", {
        "trainee": trainee,
        "portfolio": selectors.portfolio_for(trainee=trainee),
        "is_own": membership.role == Role.TRAINEE and trainee.user_id == request.user.pk,
        "can_assess": assessor,
        "can_withdraw": assessor or (
            membership.role == Role.TRAINING_LEAD and membership.organisation_id == trainee.organisation_id
        ),
    })


@membership_required(Role.TRAINEE)
def my_portfolio(request: HttpRequest) -> HttpResponse:
    trainee = selectors.own_trainee_record(request.membership)
    if trainee is None:
        raise Http404("You have no trainee record in this organisation yet: ask your training lead.")
    return redirect("evidence:portfolio", trainee_pk=trainee.pk)


# --- Delegation readiness ----------------------------------------------------------------------------


@membership_required(*selectors.DELEGATION_ROLES)
def delegation(request: HttpRequest) -> HttpResponse:
    membership = request.membership
    cohorts = list(cohorts_visible_to(membership=membership).order_by("programme__title", "starts_on", "pk"))
    wards = list(
        ClinicalArea.objects.filter(
            pk__in=enrolments_visible_to(membership=membership).values("trainee__clinical_area")
        ).order_by("name")
    )
    form = DelegationFilterForm(request.GET or None, cohorts=cohorts, wards=wards)
    cohort = ward = None
    if form.is_valid():
        if form.cleaned_data["cohort"]:
            cohort = next(c for c in cohorts if str(c.pk) == form.cleaned_data["cohort"])
        ward = int(form.cleaned_data["ward"]) if form.cleaned_data["ward"] else None
    tasks = selectors.delegation_readiness(membership=membership, cohort=cohort, ward=ward)
    return render(request, "competencies/evidence/delegation.html", {
        "tasks": tasks,
        "filter_form": form,
        "cohort": cohort,
        "filtered": bool(cohort or ward),
    })
