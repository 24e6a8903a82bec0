from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView


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
