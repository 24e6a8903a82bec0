"""REST API for the crime registrar's retention review: the queue of finalised cases whose review date has
come, and the decision on one (retain with the next review date, or dispose). Thin: the input serializer
checks shape, casework/services/retention.py enforces the rules; the case is reached through the access
policy (404 alike for missing and not yours); reads are audited."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import audit, policy
from accounts.policy import Action
from casework.choices import CaseStage, RetentionDecisionKind
from casework.models import Case, RetentionDecision
from casework.selectors import retention_queue
from casework.services import retention as retention_services


class RetentionQueueOutput(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")
    retention_group = serializers.CharField(help_text="a RetentionGroup value, blank when not set")

    class Meta:
        model = Case
        fields = ["id", "reference", "unit", "outcome_code", "finalised_at", "retention_group", "retention_review_on"]


class RetentionDecisionInput(serializers.Serializer):
    decision = serializers.ChoiceField(choices=RetentionDecisionKind.choices)
    reason = serializers.CharField(max_length=retention_services.REASON_MAX)
    next_review_on = serializers.DateField(allow_null=True, default=None, help_text="required to retain")
    public_protection = serializers.BooleanField(
        default=False, help_text="retain: move the case to the public protection group"
    )
    confirmed = serializers.BooleanField(
        default=False, help_text=f"dispose: {retention_services.DISPOSAL_CONFIRMATION.lower()}"
    )


class RetentionDecisionOutput(serializers.ModelSerializer):
    decision = serializers.CharField(help_text="a RetentionDecisionKind value: retain or dispose")
    retention_group = serializers.CharField(help_text="a RetentionGroup value")
    decided_by = serializers.CharField(source="decided_by.username")

    class Meta:
        model = RetentionDecision
        fields = [
            "id", "case_id", "case_reference", "decision", "retention_group", "reason", "next_review_on",
            "decided_by", "decided_at",
        ]  # fmt: skip


class RetentionQueueApi(APIView):
    """Finalised cases whose retention review has come, oldest first (the crime registrar's)."""

    @extend_schema(responses=RetentionQueueOutput(many=True))
    def get(self, request):
        if not policy.role_may(request.user, Action.REVIEW_RETENTION):
            raise Http404("No such page.")
        cases = list(retention_queue(request.user))
        audit.consulted_many(Case, [case.pk for case in cases], detail="retention review queue (api)")
        return Response(RetentionQueueOutput(cases, many=True).data)


class RetentionDecisionApi(APIView):
    """Retain a finalised case until its next review, or dispose of it (erasure)."""

    @extend_schema(request=RetentionDecisionInput, responses={201: RetentionDecisionOutput})
    def post(self, request, case_id: int):
        case = policy.access_case(request.user, case_id, Action.REVIEW_RETENTION)
        if case.stage != CaseStage.FINALISED:
            raise Http404("No such case.")
        data = RetentionDecisionInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values["decision"] == RetentionDecisionKind.RETAIN:
            decision = retention_services.retention_retain(
                actor=request.user,
                case=case,
                reason=values["reason"],
                next_review_on=values["next_review_on"],
                public_protection=values["public_protection"],
            )
        else:
            decision = retention_services.case_dispose(
                actor=request.user, case=case, reason=values["reason"], confirmed=values["confirmed"]
            )
        return Response(RetentionDecisionOutput(decision).data, status=status.HTTP_201_CREATED)
