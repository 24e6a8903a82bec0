"""One exception hierarchy for refusals, and the one API error shape: {"errors": {field: [messages]}}.

Services raise these; the DRF handler below and the HTML views turn them into the same messages. An
unexpected error in the API answers the same shape (500) with a `request_id`, under which it is logged.
"""

import logging
import sys
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

logger = logging.getLogger("config.errors")

NON_FIELD = "non_field_errors"


class Refusal(Exception):
    """A user action the rules do not allow. `errors` maps field names to messages."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, message: str | dict[str, list[str] | str], **extra):
        if isinstance(message, dict):
            self.errors = {k: v if isinstance(v, list) else [v] for k, v in message.items()}
        else:
            self.errors = {NON_FIELD: [message]}
        self.extra = extra
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return " ".join(m for msgs in self.errors.values() for m in msgs)


class InvalidInput(Refusal):
    pass


class TransitionNotAllowed(Refusal):
    status_code = status.HTTP_409_CONFLICT


class EditConflict(Refusal):
    """Someone else saved the record since it was read: `extra["current"]` holds its state now."""

    status_code = status.HTTP_409_CONFLICT


def _as_error_dict(detail) -> dict[str, list[str]]:
    if isinstance(detail, dict):
        return {k: [str(m) for m in (v if isinstance(v, list) else [v])] for k, v in detail.items()}
    if isinstance(detail, list):
        return {NON_FIELD: [str(m) for m in detail]}
    return {"detail": [str(detail)]}


UNEXPECTED = "Something went wrong on our side; nothing was saved. Quote this request id."


def _log_unexpected(request, exc_info) -> str:
    request_id = uuid.uuid4().hex
    where = f"{request.method} {request.path}" if request is not None else "?"
    logger.error("Unexpected error, request %s (%s)", request_id, where, exc_info=exc_info)
    return request_id


def _unexpected(exc, context) -> Response:
    request_id = _log_unexpected(context.get("request"), exc)
    set_rollback()
    body = {"errors": {"detail": [UNEXPECTED]}, "request_id": request_id}
    return Response(body, status=status.HTTP_500_INTERNAL_SERVER_ERROR, headers={"X-Request-ID": request_id})


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


class ApiErrorShapeMiddleware:
    """On an API path every refusal answers the error shape, whoever gave it: a middleware's plain-text 400,
    Django's page for a path that matches no route (an id that is not a number) or for a bad request."""

    KEPT_HEADERS = ("WWW-Authenticate", "Allow", "Retry-After", "X-Request-ID")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if response.status_code < 400 or not _is_api(request) or content_type.startswith("application/json"):
            return response
        message = response.reason_phrase
        if content_type.startswith("text/plain") and not response.streaming:
            message = response.content.decode(errors="replace").strip() or message
        elif response.status_code == 404:
            message = "Not found."
        shaped = JsonResponse({"errors": {"detail": [message]}}, status=response.status_code)
        for header in self.KEPT_HEADERS:
            if header in response:
                shaped[header] = response[header]
        return shaped


def server_error(request):
    """handler500: an error outside a view of the API (in a middleware) answers the error shape too."""
    if _is_api(request):
        request_id = _log_unexpected(request, sys.exc_info())
        body = {"errors": {"detail": [UNEXPECTED]}, "request_id": request_id}
        return JsonResponse(body, status=500, headers={"X-Request-ID": request_id})
    return defaults.server_error(request)


def api_exception_handler(exc, context):
    if isinstance(exc, Refusal):
        body = {"errors": exc.errors, **exc.extra}
        return Response(body, status=exc.status_code)
    if isinstance(exc, RequestDataTooBig):
        body = {"errors": {"detail": ["The request body is too large: send fewer records at once"]}}
        return Response(body, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        if settings.DEBUG:
            return None  # Django's debug page
        return _unexpected(exc, context)
    response.data = {"errors": _as_error_dict(response.data)}
    return response
