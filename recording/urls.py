from django.urls import path

from recording import views, views_notices

app_name = "recording"

case = "cases/<int:case_id>/"
urlpatterns = [
    path(case, views.case_records, name="case-records"),
    path(f"{case}records/new/", views.record_create, name="record-create"),
    path(f"{case}records/<int:record_id>/reclassify/", views.record_reclassify, name="record-reclassify"),
    path("audit-queue/", views.audit_queue, name="audit-queue"),
    path("audit-queue/sample/", views.audit_sample, name="audit-sample"),
    path("audit-queue/<int:case_id>/decision/", views.audit_decision, name="audit-decision"),
    path("statistics/", views.statistics, name="statistics"),
    path("legacy-notices/", views_notices.legacy_notice_queue, name="legacy-notices"),
    path("legacy-notices/<int:notice_id>/review/", views_notices.legacy_notice_review, name="legacy-notice-review"),
    path("statistics.csv", views.statistics_csv, name="statistics-csv"),
]
