"""The OpenAPI schema tells the truth: besides its success answer, every operation declares the refusals
it can give, each in the one error shape of config/errors.py (tests/test_api_schema.py holds the API to
it with schemathesis)."""

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorOutput(serializers.Serializer):
    """The one error shape of the API."""

    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text='messages by field; "non_field_errors" for the request as a whole, "detail" for a refusal '
        "of the request itself (not signed in, not found, malformed)",
    )
    request_id = serializers.CharField(required=False, help_text="on a 500 only: quote it, it names the log entry")


# Why each status is answered, as the schema says it.
ERRORS = {
    "400": "The input is refused: the messages say why, by field",
    "401": "Not signed in (no or a bad token)",
    "403": "Your role may not do this",
    "404": "No such record, or not yours: the two are answered alike",
    "409": "The record changed since you read it, or its state does not allow this now",
    "413": "The request body is too large",
    "500": "Something went wrong on our side; nothing was saved",
}
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class TruthfulAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = ["400", "401", "403", "404", "500"]
        if self.method in WRITES:
            codes += ["409", "413"]
        for code in codes:
            if code not in responses or "content" not in responses[code]:
                body = self._get_response_for_code(ErrorOutput, code, direction=direction)
                responses[code] = body | {"description": ERRORS[code]}
        return responses
