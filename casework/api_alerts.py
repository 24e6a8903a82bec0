"""Alerts API: the open alerts on the cases a user may see; acknowledging and snoozing them.

The reads go through `casework.selectors.alerts_for_user`, shared with the alert pages."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.choices import AlertKind
from casework.models import Alert
from casework.selectors import alerts_for_user
from casework.services.alerts import alert_acknowledge, alert_snooze


class AlertOutput(serializers.ModelSerializer):
    case_reference = serializers.CharField(source="case.reference")
    acknowledged_by = serializers.CharField(source="acknowledged_by.username", allow_null=True, default=None)

    class Meta:
        model = Alert
        fields = [
            "id", "case_id", "case_reference", "kind", "severity", "audience", "facts", "due_at", "raised_at",
            "resolved_at", "acknowledged_at", "acknowledged_by", "acknowledgement", "snoozed_until",
        ]  # fmt: skip


class AlertFilters(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AlertKind.choices, required=False)
    case = serializers.IntegerField(required=False)
    state = serializers.ChoiceField(choices=["open", "snoozed", "resolved", "all"], default="open")
    mine = serializers.BooleanField(default=False, help_text="only cases where I am the officer in the case")
    overdue = serializers.BooleanField(
        default=False, help_text="only unresolved alerts whose due time has passed, or urgent with no due time"
    )


class AlertListApi(APIView):
    pagination_class = PageNumberPagination

    @extend_schema(parameters=[AlertFilters], responses=AlertOutput(many=True))
    def get(self, request):
        filters = AlertFilters(data=request.query_params)
        filters.is_valid(raise_exception=True)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(alerts_for_user(request.user, **filters.validated_data), request, view=self)
        return paginator.get_paginated_response(AlertOutput(page, many=True).data)


class AlertActionInput(serializers.Serializer):
    action = serializers.ChoiceField(choices=["acknowledge", "snooze"])
    reason = serializers.CharField(max_length=500)
    until = serializers.DateTimeField(required=False, help_text="required to snooze")


class AlertActionApi(APIView):
    @extend_schema(request=AlertActionInput, responses=AlertOutput)
    def post(self, request, alert_id: int):
        alert = alerts_for_user(request.user, state="all").filter(pk=alert_id).first()
        if alert is None:
            raise Http404("No such alert.")
        data = AlertActionInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        if fields["action"] == "acknowledge":
            alert = alert_acknowledge(actor=request.user, alert=alert, reason=fields["reason"])
        else:
            if "until" not in fields:
                raise serializers.ValidationError({"until": ["Say until when to snooze"]})
            alert = alert_snooze(actor=request.user, alert=alert, until=fields["until"], reason=fields["reason"])
        return Response(AlertOutput(alert).data)
