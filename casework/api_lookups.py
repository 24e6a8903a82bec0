"""Who has looked at a case's victims (the audit trail) and the look-ups from outside her cases that her
officer must check. For the officer in the case and the unit's supervisors (ADR 0007)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import audit, policy
from accounts.policy import Action
from casework import selectors
from casework.services import lookups as lookups_services


class LookOutput(serializers.Serializer):
    at = serializers.DateTimeField()
    who = serializers.CharField()
    unit = serializers.CharField()
    what = serializers.CharField()
    why = serializers.CharField()
    victim_id = serializers.IntegerField(source="victim.pk")
    outside = serializers.BooleanField(help_text="by someone who may not open this case")


class LookupOutput(serializers.Serializer):
    id = serializers.IntegerField()
    at = serializers.DateTimeField()
    how = serializers.CharField(source="get_how_display")
    by = serializers.CharField(source="by.get_username")
    unit = serializers.CharField(source="by.unit", default="")
    victim_id = serializers.IntegerField(source="person_id")
    through_case = serializers.CharField(source="through_case.reference", default=None, allow_null=True)


class LookupsOutput(serializers.Serializer):
    to_check = LookupOutput(many=True)
    looks = LookOutput(many=True)


class CheckedOutput(serializers.Serializer):
    checked = serializers.IntegerField()


class CaseLookupsApi(APIView):
    @extend_schema(responses=LookupsOutput)
    def get(self, request, case_id: int):
        case = policy.access_case(request.user, case_id, Action.VIEW_SEALED_DETAILS)
        audit.consulted(case, detail="who has looked at her")
        return Response(
            LookupsOutput(
                {"to_check": selectors.outside_lookups_to_check(case), "looks": selectors.who_has_looked(case)}
            ).data
        )


class CaseLookupsCheckedApi(APIView):
    @extend_schema(request=None, responses=CheckedOutput)
    def post(self, request, case_id: int):
        case = policy.access_case(request.user, case_id, Action.VIEW_SEALED_DETAILS)
        return Response({"checked": lookups_services.outside_lookups_check(actor=request.user, case=case)})
