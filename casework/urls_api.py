from django.urls import path

from casework import api, api_alerts, api_dashboard

urlpatterns = [
    path("cases/", api.CaseListApi.as_view(), name="api-case-list"),
    path("cases/<int:case_id>/", api.CaseDetailApi.as_view(), name="api-case-detail"),
    path("cases/<int:case_id>/transitions/", api.CaseTransitionApi.as_view(), name="api-case-transition"),
    path("cases/<int:case_id>/people/", api.CasePeopleApi.as_view(), name="api-case-people"),
    path("cases/<int:case_id>/incidents/", api.CaseIncidentsApi.as_view(), name="api-case-incidents"),
    path("cases/<int:case_id>/incidents/batch/", api.IncidentBatchApi.as_view(), name="api-incident-batch"),
    path(
        "cases/<int:case_id>/incidents/<int:incident_id>/", api.IncidentDetailApi.as_view(), name="api-incident-detail"
    ),
    path("cases/<int:case_id>/evidence/", api.CaseEvidenceApi.as_view(), name="api-case-evidence"),
    path("cases/<int:case_id>/contacts/", api.CaseContactsApi.as_view(), name="api-case-contacts"),
    path("cases/<int:case_id>/timeline/", api.CaseTimelineApi.as_view(), name="api-case-timeline"),
    path("people/", api.PersonSearchApi.as_view(), name="api-person-search"),
    path("alerts/", api_alerts.AlertListApi.as_view(), name="api-alert-list"),
    path("alerts/<int:alert_id>/actions/", api_alerts.AlertActionApi.as_view(), name="api-alert-action"),
    path("dashboard/", api_dashboard.DashboardApi.as_view(), name="api-dashboard"),
    # CARE-ADVOCATE-API-URLS (casework/api_care.py)
    # CARE-OFFICER-API-URLS (casework/api_passed_on.py)
]
