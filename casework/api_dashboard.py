"""Dashboard API: the supervisor's figures as JSON, each with the link to its list."""

from dataclasses import asdict

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.dashboard import dashboard_figures, extra_sections, figures_as_data, needs_attention
from casework.views.dashboard import may_see_dashboard


class FigureOutput(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.IntegerField()
    link = serializers.CharField(help_text="the list page the count comes from")


class SectionOutput(serializers.Serializer):
    key = serializers.CharField()
    caption = serializers.CharField()
    figures = FigureOutput(many=True)


class DashboardOutput(serializers.Serializer):
    needs_attention = FigureOutput(
        many=True, help_text="what needs attention today, only the figures that are not zero, most serious first"
    )
    cases_by_stage = FigureOutput(many=True)
    cases_by_flag = FigureOutput(many=True)
    overdue_alerts = FigureOutput(many=True)
    officer_open_cases = FigureOutput(many=True)
    officer_open_alerts = FigureOutput(many=True)
    sections = SectionOutput(many=True, help_text="figures other parts of the service add (e.g. risk)")


class DashboardApi(APIView):
    @extend_schema(responses=DashboardOutput)
    def get(self, request):
        if not may_see_dashboard(request.user):
            raise Http404("No such page.")
        figures = dashboard_figures(request.user)
        data = figures_as_data(figures)
        data["needs_attention"] = [asdict(f) for f in needs_attention(request.user, figures)]
        data["sections"] = [
            {"key": section.key, "caption": section.caption, "figures": [asdict(f) for f in figures]}
            for section, figures in extra_sections(request.user)
        ]
        return Response(DashboardOutput(data).data)
