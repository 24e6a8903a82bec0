from django.urls import path

from recording import api

urlpatterns = [
    path("cases/<int:case_id>/crime-records/", api.CaseCrimeRecordsApi.as_view(), name="api-crime-records"),
    path(
        "cases/<int:case_id>/crime-records/<int:record_id>/reclassify/",
        api.CrimeRecordReclassifyApi.as_view(),
        name="api-crime-record-reclassify",
    ),
    path("cases/<int:case_id>/recording-advice/", api.RecordingAdviceApi.as_view(), name="api-recording-advice"),
    path("recording/audit-queue/", api.AuditQueueApi.as_view(), name="api-audit-queue"),
    path(
        "recording/audit-queue/<int:case_id>/decision/",
        api.AuditQueueDecisionApi.as_view(),
        name="api-audit-queue-decision",
    ),
    path("recording/statistics/", api.StatisticsApi.as_view(), name="api-recording-statistics"),
    path("recording/records/", api.CrimeRecordSearchApi.as_view(), name="api-crime-record-search"),
    path("cases/<int:case_id>/legacy-notices/", api.LegacyNoticesApi.as_view(), name="api-legacy-notices"),
    path("recording/legacy-notices/", api.LegacyNoticeReviewQueueApi.as_view(), name="api-legacy-notice-queue"),
    path(
        "legacy-notices/<int:notice_id>/review/", api.LegacyNoticeReviewApi.as_view(), name="api-legacy-notice-review"
    ),
]
