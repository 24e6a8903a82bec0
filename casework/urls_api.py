from django.urls import path

from casework import (
    api,
    api_alerts,
    api_care,
    api_dashboard,
    api_documents,
    api_lookups,
    api_passed_on,
    api_retention,
)

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
    path(
        "cases/<int:case_id>/people/<int:person_id>/identifiers/",
        api.PersonIdentifiersApi.as_view(),
        name="api-person-identifiers",
    ),
    path("cases/<int:case_id>/lookups/", api_lookups.CaseLookupsApi.as_view(), name="api-case-lookups"),
    path(
        "cases/<int:case_id>/lookups/checked/",
        api_lookups.CaseLookupsCheckedApi.as_view(),
        name="api-case-lookups-checked",
    ),
    path("people/", api.PersonSearchApi.as_view(), name="api-person-search"),
    path("alerts/", api_alerts.AlertListApi.as_view(), name="api-alert-list"),
    path("alerts/<int:alert_id>/actions/", api_alerts.AlertActionApi.as_view(), name="api-alert-action"),
    path("dashboard/", api_dashboard.DashboardApi.as_view(), name="api-dashboard"),
    path("documents/<int:document_id>/", api_documents.DocumentDetailApi.as_view(), name="api-document-detail"),
    # The PDF, for a client holding a token (the page's download sends it to the log-in page)
    path(
        "documents/<int:document_id>/download/",
        api_documents.DocumentDownloadApi.as_view(),
        name="api-document-download",
    ),
    path("documents/<int:document_id>/again/", api_documents.DocumentAgainApi.as_view(), name="api-document-again"),
    # The advocate's victim-safe view, safety plan and passing on (api_care.py)
    path("care/", api_care.CareListApi.as_view(), name="api-care-list"),
    path("care/cases/<int:case_id>/", api_care.CareCaseApi.as_view(), name="api-care-case"),
    path("care/cases/<int:case_id>/safety-plan/", api_care.CareSafetyPlanApi.as_view(), name="api-care-safety-plan"),
    path("care/safety-plan/<int:item_id>/done/", api_care.CareSafetyPlanDoneApi.as_view(), name="api-care-plan-done"),
    path("care/cases/<int:case_id>/passed-on/", api_care.CarePassedOnApi.as_view(), name="api-care-passed-on"),
    # CARE-OFFICER-API-URLS (casework/api_passed_on.py)
    path("cases/<int:case_id>/referrals/", api_passed_on.CaseReferralsApi.as_view(), name="api-case-referrals"),
    path("referrals/<int:referral_id>/end/", api_passed_on.ReferralEndApi.as_view(), name="api-referral-end"),
    path("cases/<int:case_id>/passed-on/", api_passed_on.CasePassedOnApi.as_view(), name="api-case-passed-on"),
    path("passed-on/<int:item_id>/accept/", api_passed_on.PassedOnAcceptApi.as_view(), name="api-passed-on-accept"),
    path("passed-on/<int:item_id>/decline/", api_passed_on.PassedOnDeclineApi.as_view(), name="api-passed-on-decline"),
    # The crime registrar's retention review (api_retention.py)
    path("retention/", api_retention.RetentionQueueApi.as_view(), name="api-retention-queue"),
    path("retention/cases/<int:case_id>/", api_retention.RetentionDecisionApi.as_view(), name="api-retention-decision"),
]
