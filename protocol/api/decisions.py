"""REST API for the decisions that move a case on (protocol/services/decisions.py): the charge, no further
action or an out-of-court disposal, the court's outcome. `POST …/transitions/` refuses those moves and names
this endpoint's action instead (casework.stages, ADR 0007). Thin: the serializers check shape, the services
the rules; every read is audited."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import audit, policy
from accounts.policy import Action
from casework.choices import ContactMethod
from casework.models import Case
from protocol import choices as c
from protocol.models import CaseDecision
from protocol.services import decisions as services


class CaseDecisionInput(serializers.Serializer):
    """`kind` picks the decision; each uses the fields named in its help."""

    kind = serializers.ChoiceField(choices=c.CaseDecisionKind.choices)
    basis = serializers.ChoiceField(choices=c.ChargeBasis.choices, required=False, default="", allow_blank=True)
    offences = serializers.ListField(child=serializers.CharField(), default=list, help_text="charge")
    reason = serializers.CharField(default="", allow_blank=True, help_text="charge by the police, NFA, out of court")
    restraining_order_sought = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="charge, court outcome"
    )
    restraining_order_id = serializers.IntegerField(required=False, allow_null=True, default=None)
    restraining_order_reason = serializers.CharField(default="", allow_blank=True)
    court_result = serializers.ChoiceField(choices=c.CourtResult.choices, required=False, default="", allow_blank=True)
    victim_told_on = serializers.DateField(required=False, allow_null=True, default=None)
    victim_told_method = serializers.ChoiceField(
        choices=ContactMethod.choices, required=False, default="", allow_blank=True
    )
    right_to_review_explained = serializers.BooleanField(default=False, help_text="no further action")
    note = serializers.CharField(default="", allow_blank=True, help_text="court outcome")


class CaseDecisionOutput(serializers.ModelSerializer):
    decided_by = serializers.CharField(source="decided_by.username")
    agreed_by = serializers.CharField(source="agreed_by.username", allow_null=True, default=None)
    case_stage = serializers.CharField(source="case.stage")
    case_version = serializers.IntegerField(source="case.version")

    class Meta:
        model = CaseDecision
        fields = [
            "id", "kind", "basis", "handover_id", "offences", "reason", "court_result", "agreed_by",
            "victim_told_on", "victim_told_method", "right_to_review_explained", "decided_by", "decided_at",
            "case_stage", "case_version",
        ]  # fmt: skip


RESTRAINING = ("restraining_order_sought", "restraining_order_id", "restraining_order_reason")
VICTIM_TOLD = ("victim_told_on", "victim_told_method")


def _service_call(kind: str, data: dict):
    if kind == c.CaseDecisionKind.CHARGE:
        return services.case_charge, {k: data[k] for k in ("basis", "offences", "reason", *RESTRAINING)}
    if kind == c.CaseDecisionKind.COURT_OUTCOME:
        return services.case_court_outcome, {k: data[k] for k in ("court_result", "note", *RESTRAINING, *VICTIM_TOLD)}
    fields = {k: data[k] for k in ("reason", "right_to_review_explained", *VICTIM_TOLD)}
    return services.case_close_without_charge, fields | {"kind": kind}


class CaseDecisionsApi(APIView):
    @extend_schema(responses=CaseDecisionOutput(many=True))
    def get(self, request, case_id: int):
        case = policy.access_case(request.user, case_id, Action.VIEW_CASE)
        decisions = list(case.decisions.select_related("case", "decided_by", "agreed_by").order_by("decided_at", "id"))
        audit.consulted_many(CaseDecision, [d.pk for d in decisions], detail=f"decisions of {case.reference}")
        return Response(CaseDecisionOutput(decisions, many=True).data)

    @extend_schema(request=CaseDecisionInput, responses={201: CaseDecisionOutput})
    def post(self, request, case_id: int):
        case = policy.access_case(request.user, case_id, Action.EDIT_CASE)
        data = CaseDecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        service, fields = _service_call(data.validated_data["kind"], data.validated_data)
        decision = service(actor=request.user, case=case, **fields)
        decision.case = Case.objects.get(pk=case.pk)
        return Response(CaseDecisionOutput(decision).data, status=status.HTTP_201_CREATED)
