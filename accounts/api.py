from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import audit, policy
from accounts.concerns import CONCERNS_SHOWN, concerns_for
from accounts.models import AccessConcern
from accounts.policy import Action
from accounts.services import NOTE_MAX, access_concern_acknowledge


class MeOutput(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.CharField(source="get_full_name")
    role = serializers.CharField()
    place = serializers.CharField()


class MeApi(APIView):
    """Who the caller is: their role and the unit, CPS area or organisation they belong to."""

    serializer_class = MeOutput

    def get(self, request):
        return Response(MeOutput(request.user).data)


class AccessConcernOutput(serializers.ModelSerializer):
    user = serializers.CharField(source="user.username")
    place = serializers.CharField(
        source="user.place", default="", help_text="the user's unit, CPS area or organisation"
    )
    acknowledged_by = serializers.CharField(source="acknowledged_by.username", default=None)

    class Meta:
        model = AccessConcern
        fields = [
            "id", "user", "place", "window_starts_at", "window_ends_at", "count", "paths", "raised_at",
            "acknowledged_by", "acknowledged_at", "note",
        ]  # fmt: skip


class AccessConcernAcknowledgeInput(serializers.Serializer):
    note = serializers.CharField(max_length=NOTE_MAX, help_text="what you found or did")


class AccessConcernsApi(APIView):
    """Repeated refused attempts by users of the registrar's force, open ones first."""

    @extend_schema(responses=AccessConcernOutput(many=True))
    def get(self, request):
        if not policy.role_may(request.user, Action.REVIEW_ACCESS_CONCERNS):
            raise Http404("No such page.")
        concerns = list(concerns_for(request.user)[:CONCERNS_SHOWN])
        audit.consulted_many(AccessConcern, [c.pk for c in concerns], detail="access concerns (api)")
        return Response(AccessConcernOutput(concerns, many=True).data)


class AccessConcernAcknowledgeApi(APIView):
    """Acknowledge an access concern with a note (audited)."""

    @extend_schema(request=AccessConcernAcknowledgeInput, responses=AccessConcernOutput)
    def post(self, request, concern_id: int):
        policy.access_concern(request.user, concern_id)
        data = AccessConcernAcknowledgeInput(data=request.data)
        data.is_valid(raise_exception=True)
        note = data.validated_data["note"]
        concern = access_concern_acknowledge(actor=request.user, concern_id=concern_id, note=note)
        return Response(AccessConcernOutput(concern).data)
