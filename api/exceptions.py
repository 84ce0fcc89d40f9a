"""One place that turns what the services raise into API answers: Django's ValidationError
becomes 400 with the field errors; PermissionDenied 403 and Http404 404 (DRF already maps
those); a report queue that is down 503. Nothing a caller sends should end in a 500."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from core.jobs import QueueUnavailable


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "A service Ladder needs is unavailable just now; try again in a few minutes."


def exception_handler(exc, context) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        errors = as_serializer_error(exc)
        if NON_FIELD_ERRORS in errors:  # Django's "__all__": the name DRF's own errors use
            errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
        exc = exceptions.ValidationError(detail=errors)
    elif isinstance(exc, QueueUnavailable):
        exc = ServiceUnavailable(str(exc))
    return drf_exception_handler(exc, context)
