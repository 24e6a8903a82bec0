from django.urls import path

from risk import api

urlpatterns = [
    path("risk/forms/", api.RiskFormsApi.as_view(), name="api-risk-forms"),
    path("cases/<int:case_id>/risk-assessments/", api.CaseAssessmentsApi.as_view(), name="api-risk-assessments"),
    path(
        "cases/<int:case_id>/risk-assessments/<int:assessment_id>/actions/",
        api.AssessmentActionApi.as_view(),
        name="api-risk-assessment-action",
    ),
    path("cases/<int:case_id>/risk-plan/", api.CaseRiskPlanApi.as_view(), name="api-risk-plan"),
    path("cases/<int:case_id>/escalation/", api.CaseEscalationApi.as_view(), name="api-escalation"),
]
