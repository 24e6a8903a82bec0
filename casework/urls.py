from django.urls import path

from casework.views import (
    alerts,
    care,
    cases,
    contacts,
    dashboard,
    documents,
    evidence,
    incidents,
    lookups,
    passed_on,
    people,
    retention,
)

app_name = "casework"

case = "cases/<int:case_id>/"
urlpatterns = [
    path("cases/", cases.case_list, name="case-list"),
    path("cases/new/", cases.case_create, name="case-create"),
    path(case, cases.case_detail, name="case-detail"),
    path(f"{case}edit/", cases.case_edit, name="case-edit"),
    path(f"{case}stage/", cases.case_stage, name="case-stage"),
    path(f"{case}reassign/", cases.case_reassign, name="case-reassign"),
    path(f"{case}incidents/new/", incidents.incident_create, name="incident-create"),
    path(f"{case}incidents/<int:incident_id>/edit/", incidents.incident_edit, name="incident-edit"),
    path(f"{case}incidents/import/", incidents.incident_import, name="incident-import"),
    path(f"{case}incidents/import/template.csv", incidents.incident_import_template, name="incident-import-template"),
    path(f"{case}people/add/", people.party_add, name="party-add"),
    path("people/<int:person_id>/", people.person_detail, name="person-detail"),
    path(f"{case}people/<int:person_id>/identifiers/new/", people.identifier_add, name="identifier-add"),
    path(f"{case}lookups/", lookups.case_lookups, name="case-lookups"),
    path(f"{case}lookups/checked/", lookups.case_lookups_checked, name="case-lookups-checked"),
    path(f"{case}evidence/", evidence.evidence_list, name="evidence-list"),
    path(f"{case}evidence/upload/", evidence.evidence_upload, name="evidence-upload"),
    path(f"{case}evidence/<int:evidence_id>/", evidence.evidence_detail, name="evidence-detail"),
    path(f"{case}evidence/<int:evidence_id>/download/", evidence.evidence_download, name="evidence-download"),
    path(f"{case}evidence/tasks/new/", evidence.evidence_task_create, name="evidence-task-create"),
    path(f"{case}evidence/tasks/<int:task_id>/done/", evidence.evidence_task_complete, name="evidence-task-complete"),
    path(f"{case}contacts/", contacts.contact_list, name="contact-list"),
    path(f"{case}contacts/new/", contacts.contact_create, name="contact-create"),
    path(f"{case}contacts/entitlement/<int:person_id>/", contacts.victim_entitlement, name="victim-entitlement"),
    path("alerts/", alerts.alert_list, name="alert-list"),
    path("alerts/badge/", alerts.alert_badge, name="alert-badge"),
    path("alerts/<int:alert_id>/acknowledge/", alerts.alert_acknowledge_view, name="alert-acknowledge"),
    path("alerts/<int:alert_id>/snooze/", alerts.alert_snooze_view, name="alert-snooze"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/lists/", dashboard.figure_list, name="figure-list"),
    path(f"{case}referrals/new/", contacts.referral_create, name="referral-create"),
    path("documents/<int:document_id>/", documents.document_status, name="document-status"),
    path("documents/<int:document_id>/download/", documents.document_download, name="document-download"),
    # The advocate: her referred victims, the victim-safe view, safety plan, passing on (views/care.py)
    path("care/", care.care_list, name="care-list"),
    path("care/cases/<int:case_id>/", care.care_case, name="care-case"),
    path("care/cases/<int:case_id>/safety-plan/", care.care_safety_plan_add, name="care-safety-plan-add"),
    path("care/safety-plan/<int:item_id>/done/", care.care_safety_plan_done, name="care-safety-plan-done"),
    path("care/cases/<int:case_id>/passed-on/", care.care_passed_on, name="care-passed-on"),
    # The officer's review of what advocates pass on (views/passed_on.py)
    path(f"{case}referrals/<int:referral_id>/end/", contacts.referral_end, name="referral-end"),
    path(f"{case}passed-on/", passed_on.passed_on_list, name="passed-on-list"),
    path(f"{case}passed-on/<int:item_id>/accept/", passed_on.passed_on_accept_view, name="passed-on-accept"),
    path(f"{case}passed-on/<int:item_id>/decline/", passed_on.passed_on_decline_view, name="passed-on-decline"),
    # The crime registrar's retention review (views/retention.py)
    path("retention/", retention.retention_queue_view, name="retention-queue"),
    path("retention/cases/<int:case_id>/", retention.retention_review, name="retention-review"),
]
