"""One JSON shape for every API error, and no input that ends in a 500.

Every error body is ``{"message": str, "errors": {field: [str, ...]}}``;
``errors`` is empty when no particular field is at fault. An edit conflict
adds ``current`` (the text now stored) and ``current_version``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from specs_app.authoring.services import EditConflict
from specs_app.limits import MAX_REQUEST_BYTES, SpecTooLarge

NON_FIELD = "non_field_errors"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _flatten(detail: Any) -> list[str]:
    if isinstance(detail, dict):
        return [message for value in detail.values() for message in _flatten(value)]
    if isinstance(detail, list):
        return [message for value in detail for message in _flatten(value)]
    return [str(detail)]


def _field_errors(detail: Any) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {str(field): _flatten(value) for field, value in detail.items()}
    return {NON_FIELD: _flatten(detail)}


def _as_drf(error: Exception) -> Exception:
    if isinstance(error, SpecTooLarge):
        return PayloadTooLarge(" ".join(error.messages))
    if isinstance(error, DjangoValidationError):
        detail = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD: error.messages}
        return exceptions.ValidationError(detail)
    if isinstance(error, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(error) or None)
    if isinstance(error, Http404):
        return exceptions.NotFound(str(error) or None)
    if isinstance(error, ObjectDoesNotExist):  # deleted by someone else while this request ran
        return exceptions.NotFound("It no longer exists; someone may have just deleted it.")
    if isinstance(error, RequestDataTooBig):
        return PayloadTooLarge(f"The request body is over the limit of {MAX_REQUEST_BYTES:,} bytes.")
    return error


def _message(error: exceptions.APIException, errors: dict[str, list[str]]) -> str:
    if isinstance(error, exceptions.ValidationError):
        first = next(iter(errors.items()), None)
        if first is None:
            return "The request is not valid."
        field, messages = first
        prefix = "" if field == NON_FIELD else f"{field}: "
        return prefix + (messages[0] if messages else "is not valid.")
    return (
        str(error.detail) if not isinstance(error.detail, dict | list) else " ".join(_flatten(error.detail))
    )


def exception_handler(error: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, reshaped: ``message`` for people, ``errors`` per field for tools."""
    if isinstance(error, EditConflict):
        return Response(
            {
                "message": str(error),
                "errors": {
                    conflict.field: [f"{conflict.label} changed meanwhile."] for conflict in error.conflicts
                },
                "current": {conflict.field: conflict.current for conflict in error.conflicts},
                "current_version": error.current_version,
            },
            status=status.HTTP_409_CONFLICT,
        )
    error = _as_drf(error)
    response = drf_exception_handler(error, context)
    if response is None:
        return None
    assert isinstance(error, exceptions.APIException)  # DRF answers only its own (_as_drf converted the rest)
    errors = _field_errors(error.detail) if isinstance(error, exceptions.ValidationError) else {}
    response.data = {"message": _message(error, errors), "errors": errors}
    return response
