"""Credential pages: the public ones (a credential checked by anyone, DID documents, status
lists), the trainee's own list with sharing, and a training lead's suspending one (and lifting
it). Thin: selectors read, vc/keys build, services write."""

from __future__ import annotations

import io

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from jwcrypto.common import JWException

from core.access import membership_required
from core.forms import add_service_errors
from programmes.models import Role
from trainees.selectors import get_trainee_for

from . import keys, selectors, services, vc
from .forms import SuspendForm
from .models import Credential

# Anyone may check a credential, from any site (a verifier's page in a browser, too).
PUBLIC_HEADERS = {"Access-Control-Allow-Origin": "*", "Cache-Control": "no-cache"}


def _public(response: HttpResponse) -> HttpResponse:
    for name, value in PUBLIC_HEADERS.items():
        response[name] = value
    return response


def _wants_jwt(request: HttpRequest) -> bool:
    preferred = request.get_preferred_type(["text/html", vc.MEDIA_TYPE, "application/jwt"])
    return preferred in (vc.MEDIA_TYPE, "application/jwt")


@require_GET
def did_document(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.issuer(slug)
    document = keys.did_document(organisation, selectors.issuer_keys(organisation))
    return _public(JsonResponse(document, content_type="application/did+json"))


@require_GET
def status_list(request: HttpRequest, slug: str, purpose: str, number: int) -> HttpResponse:
    """The status list as a signed BitstringStatusListCredential, made now from the
    credentials' rows: what it says is true at the moment it is fetched."""
    organisation = selectors.issuer(slug)
    bits = selectors.status_bits(organisation, purpose=purpose, number=number)
    if not selectors.status_list_exists(organisation, number):
        return HttpResponse("No such status list.", status=404, content_type="text/plain")
    key = services.issuer_key_current(organisation=organisation)
    document = vc.status_list_credential(
        url=services.status_list_url(organisation, purpose, number), issuer=keys.did_for(organisation),
        purpose=purpose, set_indexes=bits, size=selectors.STATUS_LIST_SIZE, now=timezone.now(),
    )
    token = vc.sign(
        document, key=keys.private_key(key.private_key_encrypted),
        kid=keys.verification_method_id(organisation, key.kid),
    )
    return _public(HttpResponse(token, content_type=vc.MEDIA_TYPE))


def _checked(credential: Credential) -> dict:
    """What the public page says, checked now: the signature against the issuer's key, the
    status (revoked, suspended, the dates)."""
    now = timezone.now()
    signature_ok = False
    if credential.token:
        try:
            vc.verify(credential.token, credential.key.public_jwk)
            signature_ok = True
        except (JWException, ValueError):
            signature_ok = False
    status = credential.status_at(now)
    if not signature_ok and status not in (Credential.Status.REVOKED,):
        status = "unverifiable"
    return {
        "status": status,
        "verdict": Credential.tag_for_status(status),  # the tag the page shows
        "signature_ok": signature_ok,
        "checked_at": now,
    }


@require_GET
def credential_public(request: HttpRequest, public_id: str) -> HttpResponse:
    """Anyone, signed in or not: who, which task, issued by whom, valid until when, and its
    status now. Asked for application/vc+jwt, the signed credential itself."""
    credential = selectors.credential_by_public_id(public_id)
    if _wants_jwt(request):
        if not credential.token:
            response = HttpResponse(
                "This credential was revoked and its content erased.", status=410, content_type="text/plain"
            )
        else:
            response = HttpResponse(credential.token, content_type=vc.MEDIA_TYPE)
        response["Vary"] = "Accept"
        return _public(response)
    checked = _checked(credential)
    alignments = []
    if checked["signature_ok"]:  # what the credential says as signed, not what the framework says now
        alignments = vc.payload_of(credential.token)["credentialSubject"]["achievement"].get("alignment", [])
    response = render(request, "credentials/credential_public.html", {
        "credential": credential,
        "alignment": alignments[0] if alignments else None,
        "issuer_did": keys.did_for(credential.organisation),
        "url": services.credential_url(credential.public_id),
        **checked,
    })
    response["Vary"] = "Accept"
    return response


@require_GET
def credential_download(request: HttpRequest, public_id: str) -> HttpResponse:
    credential = selectors.credential_by_public_id(public_id)
    if not credential.token:
        return HttpResponse(
            "This credential was revoked and its content erased.", status=410, content_type="text/plain"
        )
    response = HttpResponse(credential.token, content_type=vc.MEDIA_TYPE)
    response["Content-Disposition"] = f'attachment; filename="ladder-credential-{credential.public_id}.jwt"'
    return _public(response)


@require_GET
def credential_qr(request: HttpRequest, public_id: str) -> HttpResponse:
    """A QR code (SVG) of the credential's public address, for a phone to open."""
    credential = selectors.credential_by_public_id(public_id)
    buffer = io.BytesIO()
    segno.make(services.credential_url(credential.public_id), error="m").save(
        buffer, kind="svg", scale=5, border=2, title="QR code: the credential's public address",
        xmldecl=False,
    )
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@membership_required()
def trainee_credentials(request: HttpRequest, pk: int) -> HttpResponse:
    """A trainee's credentials, for whoever sees the trainee; the trainee themself can share
    each (the link, a QR code) and download it."""
    membership = request.membership
    trainee = get_trainee_for(membership=membership, pk=pk)
    now = timezone.now()
    credentials = list(selectors.credentials_of_trainee(trainee=trainee))
    for credential in credentials:
        credential.current_status = credential.status_at(now)
        credential.url = services.credential_url(credential.public_id)
    return render(request, "credentials/credential_list.html", {
        "trainee": trainee,
        "credentials": credentials,
        "is_holder": selectors.is_holder(membership, trainee),
        "may_suspend": selectors.may_suspend(membership, trainee),
    })


def _credential_to_change(request: HttpRequest, trainee_pk: int, pk: int) -> Credential:
    credential = selectors.get_credential_for(membership=request.membership, pk=pk, write=True)
    if credential.trainee_id != trainee_pk:
        raise Http404("No such credential of this person.")
    return credential


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def credential_suspend(request: HttpRequest, trainee_pk: int, pk: int) -> HttpResponse:
    """A lead of the holder's organisation suspends a credential, saying why: anyone who checks
    it (its public page, the suspension status list) sees it suspended until it is lifted."""
    credential = _credential_to_change(request, trainee_pk, pk)
    form = SuspendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.credential_suspend(credential=credential, reason=form.cleaned_data["reason"], actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{credential.achievement_name} is suspended: anyone who checks it sees that.")
            return redirect("credentials:trainee_list", pk=trainee_pk)
    return render(request, "credentials/credential_suspend.html", {"credential": credential, "form": form})


@require_http_methods(["GET", "POST"])
@membership_required(Role.TRAINING_LEAD)
def credential_unsuspend(request: HttpRequest, trainee_pk: int, pk: int) -> HttpResponse:
    """Lift the suspension (a confirm page): the credential checks as it did before."""
    credential = _credential_to_change(request, trainee_pk, pk)
    if credential.suspended_at is None:
        messages.info(request, f"{credential.achievement_name} is not suspended.")
        return redirect("credentials:trainee_list", pk=trainee_pk)
    if request.method == "POST":
        services.credential_unsuspend(credential=credential, actor=request.user)
        messages.success(request, f"The suspension of {credential.achievement_name} is lifted.")
        return redirect("credentials:trainee_list", pk=trainee_pk)
    return render(request, "credentials/credential_unsuspend.html", {"credential": credential})
