"""Every URL of the URL conf × every role → the expected status (ASVS v5.0.0-8.2.1, 8.2.2), with real ids.

An endpoint added without a row here fails `test_every_url_has_a_row`. Roles, in column order:
anonymous, the officer in the case, a supervisor and the crime registrar of her unit, an officer of
another unit of the same force (`stranger`), the CPS lawyer the case's charging request was sent to, and an
advocate of the organisation its victim was referred to with her consent. The world is tests/world.py.

A path names the records of the officer's own case by their real ids: `{case}` the case, `{order}`,
`{evidence}`, `{victim}`... its records (tests/world.py, `Kit`), so each row proves that the route works
for those allowed. A row that names a record is then tried with the same record of other cases, the
path's `{case}` staying the officer's own case (the variants):
- "sibling" (another case of her unit), only when the path pairs the record with `{case}`: 404 for
  everyone signed in, the record not being of the case in the path;
- "other_unit" (a case of another unit of the force): when paired with `{case}`, 404 for everyone signed
  in; when the record alone names the route, the stranger gets on his unit's record what the officer gets
  on hers, the registrar (same force) what she gets on the officer's, everyone else 404 (that case went to
  another lawyer and was referred to another organisation);
- "other_force" (a case of a unit of another force): 404 for everyone signed in.
A row that names only `{case}` is tried again with the case of another force ("other_force_case"):
404 for everyone signed in (the stranger, of the same force, tries the officer's case in every row).
"""

import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

ROLES = ("anonymous", "officer", "supervisor", "registrar", "stranger", "lawyer", "advocate")
LOGIN = 302  # an anonymous browser is sent to log in
ANY_HEALTH = {200, 503}  # /healthz is public; 503 until beat has ticked

#  url name           method  path                                anon   off  sup  reg  str  law  adv
MATRIX = {
    "home": ("GET", "/", (LOGIN, 200, 200, 200, 200, 302, 302)),  # lawyer, advocate: to their own list
    "login": ("GET", "/account/login/", (200, 302, 302, 302, 302, 302, 302)),
    "logout": ("GET", "/account/logout/", (405, 405, 405, 405, 405, 405, 405)),
    "mfa": ("GET", "/account/mfa/", (LOGIN, 200, 200, 200, 200, 200, 200)),
    # Sign-in with the force's identity provider: there only when OIDC_ISSUER is set (accounts/tests/test_oidc.py)
    "oidc_authentication_init": ("GET", "/account/oidc/sign-in/", (404, 404, 404, 404, 404, 404, 404)),
    "oidc_authentication_callback": ("GET", "/account/oidc/callback/", (404, 404, 404, 404, 404, 404, 404)),
    "case-history": ("GET", "/cases/{case}/history/", (LOGIN, 404, 200, 200, 404, 404, 404)),
    # casework web UI: view pages follow VIEW_CASE, forms EDIT_CASE, reassignment SUPERVISE_CASE; empty
    # POSTs get 400 where permitted (marking a task done needs nothing more: 302)
    "casework:case-list": ("GET", "/cases/", (LOGIN, 200, 200, 200, 200, 200, 200)),
    "casework:case-create": ("GET", "/cases/new/", (LOGIN, 200, 200, 403, 200, 403, 403)),
    "casework:case-detail": ("GET", "/cases/{case}/", (LOGIN, 200, 200, 200, 404, 404, 404)),
    "casework:case-edit": ("GET", "/cases/{case}/edit/", (LOGIN, 200, 200, 404, 404, 404, 404)),
    "casework:case-stage": ("GET", "/cases/{case}/stage/", (LOGIN, 200, 200, 404, 404, 404, 404)),
    "casework:case-reassign": ("GET", "/cases/{case}/reassign/", (LOGIN, 404, 200, 404, 404, 404, 404)),
    "casework:incident-create": ("GET", "/cases/{case}/incidents/new/", (LOGIN, 200, 200, 404, 404, 404, 404)),
    "casework:incident-edit": (
        "GET",
        "/cases/{case}/incidents/{incident}/edit/",
        (LOGIN, 200, 200, 404, 404, 404, 404),
    ),
    "casework:incident-import": ("GET", "/cases/{case}/incidents/import/", (LOGIN, 200, 200, 404, 404, 404, 404)),
    "casework:incident-import-template": (
        "GET",
        "/cases/{case}/incidents/import/template.csv",
        (LOGIN, 200, 200, 404, 404, 404, 404),
    ),
    "casework:party-add": ("GET", "/cases/{case}/people/add/", (LOGIN, 200, 200, 404, 404, 404, 404)),
    "casework:person-detail": ("GET", "/people/{victim}/?case={case}", (LOGIN, 200, 200, 200, 404, 404, 404)),
    "casework:evidence-list": ("GET", "/cases/{case}/evidence/", (LOGIN, 200, 200, 200, 404, 404, 404)),
    "casework:evidence-upload": ("GET", "/cases/{case}/evidence/upload/", (LOGIN, 200, 200, 404, 404, 404, 404)),
    "casework:evidence-detail": ("GET", "/cases/{case}/evidence/{evidence}/", (LOGIN, 200, 200, 200, 404, 404, 404)),
    "casework:evidence-download": (
        "GET",
        "/cases/{case}/evidence/{evidence}/download/",
        (LOGIN, 200, 200, 200, 404, 404, 404),
    ),
    "casework:evidence-task-create": (
        "POST",
        "/cases/{case}/evidence/tasks/new/",
        (LOGIN, 400, 400, 404, 404, 404, 404),
    ),
    "casework:evidence-task-complete": (
        "POST",
        "/cases/{case}/evidence/tasks/{task}/done/",
        (LOGIN, 302, 302, 404, 404, 404, 404),
    ),
    "casework:contact-list": ("GET", "/cases/{case}/contacts/", (LOGIN, 200, 200, 200, 404, 404, 404)),
    "casework:contact-create": ("GET", "/cases/{case}/contacts/new/", (LOGIN, 200, 200, 404, 404, 404, 404)),
    "casework:victim-entitlement": (
        "POST",
        "/cases/{case}/contacts/entitlement/{victim}/",
        (LOGIN, 400, 400, 404, 404, 404, 404),
    ),
    # recording web UI: case pages follow VIEW_CASE, forms EDIT_CASE or RECORD_CRIME, the audit queue,
    # sample and statistics RECORD_CRIME roles only; an empty decision POST gets 400 where permitted
    "recording:case-records": ("GET", "/recording/cases/{case}/", (LOGIN, 200, 200, 200, 404, 404, 404)),
    "recording:record-create": ("GET", "/recording/cases/{case}/records/new/", (LOGIN, 200, 200, 200, 404, 404, 404)),
    "recording:record-reclassify": (
        "GET",
        "/recording/cases/{case}/records/{record}/reclassify/",
        (LOGIN, 200, 200, 200, 404, 404, 404),
    ),
    "recording:audit-queue": ("GET", "/recording/audit-queue/", (LOGIN, 404, 200, 200, 404, 404, 404)),
    "recording:audit-sample": ("GET", "/recording/audit-queue/sample/", (LOGIN, 404, 200, 200, 404, 404, 404)),
    "recording:audit-decision": (
        "POST",
        "/recording/audit-queue/{case}/decision/",
        (LOGIN, 404, 400, 400, 404, 404, 404),
    ),
    "recording:statistics": ("GET", "/recording/statistics/", (LOGIN, 404, 200, 200, 404, 404, 404)),
    "recording:legacy-notices": ("GET", "/recording/legacy-notices/", (LOGIN, 404, 404, 200, 404, 404, 404)),
    "recording:legacy-notice-review": (
        "POST",
        "/recording/legacy-notices/{legacy_notice}/review/",
        (LOGIN, 404, 404, 400, 404, 404, 404),
    ),
    "recording:statistics-csv": ("GET", "/recording/statistics.csv", (LOGIN, 404, 200, 200, 404, 404, 404)),
    # alerts and dashboard: the list is narrowed by VIEW_CASE (empty for others), acting on an alert
    # needs it on a visible case (empty POST: 400; registrars may see but not act, also 400), the
    # badge answers 204 when signed out; the dashboard is for SUPERVISE_CASE or RECORD_CRIME roles
    "casework:alert-list": ("GET", "/alerts/", (LOGIN, 200, 200, 200, 200, 200, 200)),
    "casework:alert-badge": ("GET", "/alerts/badge/", (204, 200, 200, 200, 200, 200, 200)),
    "casework:alert-acknowledge": ("POST", "/alerts/{alert}/acknowledge/", (LOGIN, 400, 400, 400, 404, 404, 404)),
    "casework:alert-snooze": ("POST", "/alerts/{alert}/snooze/", (LOGIN, 400, 400, 400, 404, 404, 404)),
    "casework:dashboard": ("GET", "/dashboard/", (LOGIN, 404, 200, 200, 404, 404, 404)),
    "account-settings": ("GET", "/account/settings/", (LOGIN, 200, 200, 200, 200, 200, 200)),
    # Each user's own API tokens; a token id that is not hers is 404 (the world has none).
    "api-tokens": ("GET", "/api-tokens/", (LOGIN, 200, 200, 200, 200, 200, 200)),
    "api-token-revoke": ("POST", "/api-tokens/999999/revoke/", (LOGIN, 404, 404, 404, 404, 404, 404)),
    "api-dashboard": ("GET", "/api/v1/dashboard/", (401, 404, 200, 200, 404, 404, 404)),
    # risk web UI: the case's risk page follows VIEW_CASE, starting an assessment EDIT_CASE (an empty POST
    # gets 400 where permitted); signing off is a supervisor's (the officer assessed: 400)
    "risk:case-risk": ("GET", "/risk/cases/{case}/", (LOGIN, 200, 200, 200, 404, 404, 404)),
    "risk:assessment-start": ("POST", "/risk/cases/{case}/assessments/new/", (LOGIN, 400, 400, 404, 404, 404, 404)),
    "risk:assessment": ("GET", "/risk/cases/{case}/assessments/{assessment}/", (LOGIN, 200, 200, 200, 404, 404, 404)),
    "risk:plan-add": (
        "POST",
        "/risk/cases/{case}/assessments/{assessment}/plan/",
        (LOGIN, 400, 400, 404, 404, 404, 404),
    ),
    "risk:case-list": ("GET", "/risk/cases/?grade=high", (LOGIN, 200, 200, 200, 200, 404, 404)),
    "risk:plan-done": (
        "POST",
        "/risk/cases/{case}/assessments/{assessment}/plan/{action}/done/",
        (LOGIN, 302, 302, 404, 404, 404, 404),
    ),
    "risk:sign-off": (
        "POST",
        "/risk/cases/{case}/assessments/{assessment}/sign-off/",
        (LOGIN, 400, 302, 400, 404, 404, 404),
    ),
    "healthz": ("GET", "/healthz", (ANY_HEALTH,) * 7),
    "api-me": ("GET", "/api/v1/me/", (401, 200, 200, 200, 200, 200, 200)),
    # course-of-conduct API: POSTs are empty, so a permitted role gets 400 (validation), others 404
    "api-case-list": ("GET", "/api/v1/cases/", (401, 200, 200, 200, 200, 200, 200)),
    "api-case-detail": ("GET", "/api/v1/cases/{case}/", (401, 200, 200, 200, 404, 404, 404)),
    "api-case-transition": ("POST", "/api/v1/cases/{case}/transitions/", (401, 400, 400, 404, 404, 404, 404)),
    "api-case-people": ("GET", "/api/v1/cases/{case}/people/", (401, 200, 200, 200, 404, 404, 404)),
    "api-case-incidents": ("GET", "/api/v1/cases/{case}/incidents/", (401, 200, 200, 200, 404, 404, 404)),
    "api-incident-batch": ("POST", "/api/v1/cases/{case}/incidents/batch/", (401, 400, 400, 404, 404, 404, 404)),
    "api-incident-detail": (
        "PUT",
        "/api/v1/cases/{case}/incidents/{incident}/",
        (401, 400, 400, 404, 404, 404, 404),
    ),
    "api-case-evidence": ("GET", "/api/v1/cases/{case}/evidence/", (401, 200, 200, 200, 404, 404, 404)),
    "api-case-contacts": ("GET", "/api/v1/cases/{case}/contacts/", (401, 200, 200, 200, 404, 404, 404)),
    "api-case-timeline": ("GET", "/api/v1/cases/{case}/timeline/", (401, 200, 200, 200, 404, 404, 404)),
    "api-person-search": ("GET", "/api/v1/people/", (401, 400, 400, 403, 400, 403, 403)),
    "api-alert-list": ("GET", "/api/v1/alerts/", (401, 200, 200, 200, 200, 200, 200)),
    # recording API
    "api-crime-records": ("GET", "/api/v1/cases/{case}/crime-records/", (401, 200, 200, 200, 404, 404, 404)),
    "api-crime-record-reclassify": (
        "POST",
        "/api/v1/cases/{case}/crime-records/{record}/reclassify/",
        (401, 400, 400, 400, 404, 404, 404),
    ),
    "api-recording-advice": ("GET", "/api/v1/cases/{case}/recording-advice/", (401, 200, 200, 200, 404, 404, 404)),
    "api-audit-queue": ("GET", "/api/v1/recording/audit-queue/", (401, 404, 200, 200, 404, 404, 404)),
    "api-audit-queue-decision": (
        "POST",
        "/api/v1/recording/audit-queue/{case}/decision/",
        (401, 404, 400, 400, 404, 404, 404),
    ),
    "api-recording-statistics": ("GET", "/api/v1/recording/statistics/", (401, 404, 200, 200, 404, 404, 404)),
    "api-crime-record-search": ("GET", "/api/v1/recording/records/", (401, 200, 200, 200, 200, 200, 200)),
    # risk API
    "api-risk-forms": ("GET", "/api/v1/risk/forms/", (401, 200, 200, 200, 200, 404, 404)),
    "api-risk-assessments": ("GET", "/api/v1/cases/{case}/risk-assessments/", (401, 200, 200, 200, 404, 404, 404)),
    "api-risk-assessment-action": (
        "POST",
        "/api/v1/cases/{case}/risk-assessments/{assessment}/actions/",
        (401, 400, 400, 400, 404, 404, 404),
    ),
    "api-risk-plan": ("GET", "/api/v1/cases/{case}/risk-plan/", (401, 200, 200, 200, 404, 404, 404)),
    "api-escalation": ("GET", "/api/v1/cases/{case}/escalation/", (401, 200, 200, 200, 404, 404, 404)),
    "api-legacy-notices": ("POST", "/api/v1/cases/{case}/legacy-notices/", (401, 400, 400, 404, 404, 404, 404)),
    # warning notices dated after the cut-off: the registrar's review queue and decision (REVIEW_LEGACY_NOTICES)
    "api-legacy-notice-queue": ("GET", "/api/v1/recording/legacy-notices/", (401, 404, 404, 200, 404, 404, 404)),
    "api-legacy-notice-review": (
        "POST",
        "/api/v1/legacy-notices/{legacy_notice}/review/",
        (401, 404, 404, 400, 404, 404, 404),
    ),
    "api-alert-action": ("POST", "/api/v1/alerts/{alert}/actions/", (401, 400, 400, 400, 404, 404, 404)),
    # orders web UI, protection: the case page follows VIEW_CASE, forms EDIT_CASE (empty POSTs 400 where
    # permitted); confirming a proposal and asking for the application need nothing more (302)
    "orders:case-protection": ("GET", "/orders/cases/{case}/", (LOGIN, 200, 200, 200, 404, 404, 404)),
    "orders:order-create": ("POST", "/orders/cases/{case}/orders/new/", (LOGIN, 400, 400, 404, 404, 404, 404)),
    "orders:order-detail": ("GET", "/orders/cases/{case}/orders/{order}/", (LOGIN, 200, 200, 200, 404, 404, 404)),
    "orders:order-transition": (
        "POST",
        "/orders/cases/{case}/orders/{order}/transition/",
        (LOGIN, 400, 400, 404, 404, 404, 404),
    ),
    "orders:condition-add": (
        "POST",
        "/orders/cases/{case}/orders/{order}/conditions/new/",
        (LOGIN, 400, 400, 404, 404, 404, 404),
    ),
    "orders:condition-consultation": (
        "POST",
        "/orders/cases/{case}/orders/{order}/conditions/{condition}/consultation/",
        (LOGIN, 400, 400, 404, 404, 404, 404),
    ),
    "orders:order-notified": (
        "POST",
        "/orders/cases/{case}/orders/{order}/notified/",
        (LOGIN, 400, 400, 404, 404, 404, 404),
    ),
    "orders:breach-create": (
        "GET",
        "/orders/cases/{case}/orders/{order}/breaches/new/",
        (LOGIN, 200, 200, 404, 404, 404, 404),
    ),
    "orders:breach-substantive": (
        "POST",
        "/orders/cases/{case}/breaches/{breach}/substantive/",
        (LOGIN, 400, 400, 404, 404, 404, 404),
    ),
    "orders:proposal-confirm": (
        "POST",
        "/orders/cases/{case}/proposals/{proposal}/confirm/",
        (LOGIN, 302, 302, 404, 404, 404, 404),
    ),
    "orders:proposal-reject": (
        "POST",
        "/orders/cases/{case}/proposals/{proposal}/reject/",
        (LOGIN, 400, 400, 404, 404, 404, 404),
    ),
    "orders:notice-detail": ("GET", "/orders/cases/{case}/notices/{notice}/", (LOGIN, 200, 200, 200, 404, 404, 404)),
    # orders web UI, bail and warrants: as above; reviewing a route is SUPERVISE_CASE
    "orders:case-routes": ("GET", "/orders/cases/{case}/bail-and-warrants/", (LOGIN, 200, 200, 200, 404, 404, 404)),
    "orders:route-create": ("POST", "/orders/cases/{case}/routes/new/", (LOGIN, 400, 400, 404, 404, 404, 404)),
    "orders:route-detail": ("GET", "/orders/cases/{case}/routes/{route}/", (LOGIN, 200, 200, 200, 404, 404, 404)),
    "orders:route-review": (
        "POST",
        "/orders/cases/{case}/routes/{route}/review/",
        (LOGIN, 404, 400, 404, 404, 404, 404),
    ),
    "orders:bail-extend": (
        "POST",
        "/orders/cases/{case}/routes/{route}/bail/extension/",
        (LOGIN, 400, 400, 404, 404, 404, 404),
    ),
    "orders:bail-end": ("POST", "/orders/cases/{case}/routes/{route}/bail/end/", (LOGIN, 400, 400, 404, 404, 404, 404)),
    "orders:bail-condition-add": (
        "POST",
        "/orders/cases/{case}/routes/{route}/bail/conditions/new/",
        (LOGIN, 400, 400, 404, 404, 404, 404),
    ),
    "orders:bail-breach-create": (
        "GET",
        "/orders/cases/{case}/routes/{route}/bail/breaches/new/",
        (LOGIN, 200, 200, 404, 404, 404, 404),
    ),
    "orders:warrant-apply": ("POST", "/orders/cases/{case}/warrants/new/", (LOGIN, 400, 400, 404, 404, 404, 404)),
    "orders:warrant-decide": (
        "POST",
        "/orders/cases/{case}/warrants/{warrant}/decision/",
        (LOGIN, 400, 400, 404, 404, 404, 404),
    ),
    "orders:warrant-execute": (
        "POST",
        "/orders/cases/{case}/warrants/{granted}/execution/",
        (LOGIN, 400, 400, 404, 404, 404, 404),
    ),
    # orders API: as the course-of-conduct API
    "api-case-orders": ("GET", "/api/v1/cases/{case}/orders/", (401, 200, 200, 200, 404, 404, 404)),
    "api-order-detail": ("GET", "/api/v1/orders/{order}/", (401, 200, 200, 200, 404, 404, 404)),
    "api-order-action": ("POST", "/api/v1/orders/{order}/actions/", (401, 400, 400, 404, 404, 404, 404)),
    "api-order-conditions": ("POST", "/api/v1/orders/{order}/conditions/", (401, 400, 400, 404, 404, 404, 404)),
    "api-order-condition-consultation": (
        "POST",
        "/api/v1/orders/{order}/conditions/{condition}/consultation/",
        (401, 400, 400, 404, 404, 404, 404),
    ),
    "api-order-breaches": ("GET", "/api/v1/orders/{order}/breaches/", (401, 200, 200, 200, 404, 404, 404)),
    "api-case-breach-proposals": (
        "GET",
        "/api/v1/cases/{case}/breach-proposals/",
        (401, 200, 200, 200, 404, 404, 404),
    ),
    "api-breach-proposal-action": (
        "POST",
        "/api/v1/breach-proposals/{proposal}/actions/",
        (401, 400, 400, 404, 404, 404, 404),
    ),
    "api-breach-substantive": ("POST", "/api/v1/breaches/{breach}/substantive/", (401, 400, 400, 404, 404, 404, 404)),
    "api-case-bail": ("POST", "/api/v1/cases/{case}/bail/", (401, 400, 400, 404, 404, 404, 404)),
    "api-bail-action": ("POST", "/api/v1/bail/{route}/actions/", (401, 400, 400, 404, 404, 404, 404)),
    "api-bail-breaches": ("GET", "/api/v1/bail/{route}/breaches/", (401, 200, 200, 200, 404, 404, 404)),
    "api-case-search-warrants": (
        "GET",
        "/api/v1/cases/{case}/search-warrants/",
        (401, 200, 200, 200, 404, 404, 404),
    ),
    "api-search-warrant-action": (
        "POST",
        "/api/v1/search-warrants/{warrant}/actions/",
        (401, 400, 400, 404, 404, 404, 404),
    ),
    "api-order-eligibility": ("GET", "/api/v1/cases/{case}/order-eligibility/", (401, 200, 200, 200, 404, 404, 404)),
    # generated documents (PDFs)
    "casework:document-status": ("GET", "/documents/{document}/", (LOGIN, 200, 200, 200, 404, 200, 404)),
    "casework:document-download": ("GET", "/documents/{document}/download/", (LOGIN, 200, 200, 200, 404, 200, 404)),
    "api-document-download": ("GET", "/api/v1/documents/{document}/download/", (401, 200, 200, 200, 404, 200, 404)),
    # asking again needs what the first request needed (EDIT_CASE): the lawyer and the registrar only read it
    "casework:document-again": ("POST", "/documents/{document}/again/", (LOGIN, 302, 302, 404, 404, 404, 404)),
    "api-document-detail": ("GET", "/api/v1/documents/{document}/", (401, 200, 200, 200, 404, 200, 404)),
    "api-document-again": ("POST", "/api/v1/documents/{document}/again/", (401, 201, 201, 404, 404, 404, 404)),
    "orders:order-application": (
        "POST",
        "/orders/cases/{case}/orders/{order}/application/",
        (LOGIN, 302, 302, 404, 404, 404, 404),
    ),
    "orders:order-documents": (
        "GET",
        "/orders/cases/{case}/orders/{order}/documents/",
        (LOGIN, 200, 200, 200, 404, 404, 404),
    ),
    # protection and referral lists behind the dashboard figures
    "casework:figure-list": (
        "GET",
        "/dashboard/lists/?show=orders-expiring",
        (LOGIN, 200, 200, 200, 200, 404, 404),
    ),
    "casework:referral-create": ("POST", "/cases/{case}/referrals/new/", (LOGIN, 400, 400, 404, 404, 404, 404)),
    # handover: the officer's preparation and sending
    # the Handover tab and its API follow VIEW_CASE (never a CPS lawyer), saving and sending EDIT_CASE
    # (empty POSTs get 400 where permitted)
    "protocol:case-handover": ("GET", "/protocol/cases/{case}/handover/", (LOGIN, 200, 200, 200, 404, 404, 404)),
    "protocol:handover-preparation": (
        "POST",
        "/protocol/cases/{case}/handover/preparation/",
        (LOGIN, 400, 400, 404, 404, 404, 404),
    ),
    "protocol:handover-send": ("POST", "/protocol/cases/{case}/handover/send/", (LOGIN, 400, 400, 404, 404, 404, 404)),
    # the decisions that move the case on: the page follows VIEW_CASE, recording EDIT_CASE (empty POST: 400)
    "protocol:case-decisions": ("GET", "/protocol/cases/{case}/decisions/", (LOGIN, 200, 200, 200, 404, 404, 404)),
    "api-case-decisions": ("POST", "/api/v1/cases/{case}/decisions/", (401, 400, 400, 404, 404, 404, 404)),
    "api-handover-preparation": (
        "GET",
        "/api/v1/cases/{case}/handover/preparation/",
        (401, 200, 200, 200, 404, 404, 404),
    ),
    "api-handover-checklist": ("GET", "/api/v1/cases/{case}/handover/checklist/", (401, 200, 200, 200, 404, 404, 404)),
    "api-case-handovers": ("GET", "/api/v1/cases/{case}/handovers/", (401, 200, 200, 200, 404, 404, 404)),
    # the lawyers a charging request may go to: for those who may send one (GRANT_ACCESS)
    "api-handover-lawyers": ("GET", "/api/v1/cases/{case}/handover/lawyers/", (401, 200, 200, 404, 404, 404, 404)),
    # handover: the prosecutor's queue, action plan and decision
    # the queue follows VIEW_HANDOVER (police: their unit's requests; a lawyer: those sent to them), the
    # dashboard lists VIEW_CASE; the lawyer's forms refuse the police's empty POSTs with 400 as hers
    "protocol:cps-queue": ("GET", "/protocol/cps/", (LOGIN, 200, 200, 200, 200, 200, 404)),
    "protocol:handover-detail": ("GET", "/protocol/handovers/{handover}/", (LOGIN, 200, 200, 200, 404, 200, 404)),
    "protocol:handover-action-raise": (
        "POST",
        "/protocol/handovers/{handover}/actions/new/",
        (LOGIN, 400, 400, 400, 404, 400, 404),
    ),
    "protocol:handover-decision": (
        "POST",
        "/protocol/handovers/{handover}/decision/",
        (LOGIN, 400, 400, 400, 404, 400, 404),
    ),
    "protocol:handover-plea": (
        "POST",
        "/protocol/handovers/{handover}/pleas/new/",
        (LOGIN, 400, 400, 400, 404, 400, 404),
    ),
    "protocol:cps-action-answer": (
        "POST",
        "/protocol/cps-actions/{cps_action}/answer/",
        (LOGIN, 400, 400, 400, 404, 400, 404),
    ),
    "api-handover-list": ("GET", "/api/v1/handovers/", (401, 200, 200, 200, 200, 200, 200)),
    "api-handover-detail": ("GET", "/api/v1/handovers/{handover}/", (401, 200, 200, 200, 404, 200, 404)),
    "api-handover-actions": ("POST", "/api/v1/handovers/{handover}/actions/", (401, 400, 400, 400, 404, 400, 404)),
    "api-handover-decision": ("POST", "/api/v1/handovers/{handover}/decision/", (401, 400, 400, 400, 404, 400, 404)),
    "api-handover-pleas": ("POST", "/api/v1/handovers/{handover}/pleas/", (401, 400, 400, 400, 404, 400, 404)),
    "api-cps-action-answer": ("POST", "/api/v1/cps-actions/{cps_action}/answer/", (401, 400, 400, 400, 404, 400, 404)),
    # care: the advocate's victim-safe view, safety plan, incidents passed on
    # for VIEW_VICTIM_SAFE roles only (the police use their own pages): the list answers 200 to an advocate,
    # 404 to all others; the case's pages and forms answer the advocate her victim was referred to
    # retention review: the crime registrar's (REVIEW_RETENTION, force); `{finalised}` is a finalised case of
    # the officer's unit whose review has come
    "casework:retention-queue": ("GET", "/retention/", (LOGIN, 404, 404, 200, 404, 404, 404)),
    "casework:retention-review": ("GET", "/retention/cases/{finalised}/", (LOGIN, 404, 404, 200, 404, 404, 404)),
    "api-retention-queue": ("GET", "/api/v1/retention/", (401, 404, 404, 200, 404, 404, 404)),
    "api-retention-decision": ("POST", "/api/v1/retention/cases/{finalised}/", (401, 404, 404, 400, 404, 404, 404)),
    "casework:care-list": ("GET", "/care/", (LOGIN, 404, 404, 404, 404, 404, 200)),
    "casework:care-case": ("GET", "/care/cases/{case}/", (LOGIN, 404, 404, 404, 404, 404, 200)),
    "casework:care-safety-plan-add": (
        "POST",
        "/care/cases/{case}/safety-plan/",
        (LOGIN, 404, 404, 404, 404, 404, 400),
    ),
    "casework:care-safety-plan-done": (
        "POST",
        "/care/safety-plan/{plan_item}/done/",
        (LOGIN, 404, 404, 404, 404, 404, 302),
    ),
    "casework:care-passed-on": ("POST", "/care/cases/{case}/passed-on/", (LOGIN, 404, 404, 404, 404, 404, 400)),
    "api-care-list": ("GET", "/api/v1/care/", (401, 404, 404, 404, 404, 404, 200)),
    "api-care-case": ("GET", "/api/v1/care/cases/{case}/", (401, 404, 404, 404, 404, 404, 200)),
    "api-care-safety-plan": (
        "POST",
        "/api/v1/care/cases/{case}/safety-plan/",
        (401, 404, 404, 404, 404, 404, 400),
    ),
    "api-care-plan-done": ("POST", "/api/v1/care/safety-plan/{plan_item}/done/", (401, 404, 404, 404, 404, 404, 200)),
    "api-care-passed-on": ("POST", "/api/v1/care/cases/{case}/passed-on/", (401, 404, 404, 404, 404, 404, 400)),
    # care: referral to an organisation, the officer's review of what is passed on
    # ending a referral: EDIT_CASE (or, in the API, an advocate of the organisation: see test_referrals_care);
    # the review of what an advocate passed on: the list VIEW_CASE, deciding EDIT_CASE
    "casework:referral-end": ("POST", "/cases/{case}/referrals/{referral}/end/", (LOGIN, 400, 400, 404, 404, 404, 404)),
    "casework:passed-on-list": ("GET", "/cases/{case}/passed-on/", (LOGIN, 200, 200, 200, 404, 404, 404)),
    "casework:passed-on-accept": (
        "GET",
        "/cases/{case}/passed-on/{passed_on}/accept/",
        (LOGIN, 200, 200, 404, 404, 404, 404),
    ),
    "casework:passed-on-decline": (
        "POST",
        "/cases/{case}/passed-on/{passed_on}/decline/",
        (LOGIN, 400, 400, 404, 404, 404, 404),
    ),
    "api-case-referrals": ("GET", "/api/v1/cases/{case}/referrals/", (401, 200, 200, 200, 404, 404, 404)),
    "api-referral-end": ("POST", "/api/v1/referrals/{referral}/end/", (401, 400, 400, 404, 404, 404, 400)),
    "api-case-passed-on": ("GET", "/api/v1/cases/{case}/passed-on/", (401, 200, 200, 200, 404, 404, 404)),
    "api-passed-on-accept": ("POST", "/api/v1/passed-on/{passed_on}/accept/", (401, 200, 200, 404, 404, 404, 404)),
    "api-passed-on-decline": ("POST", "/api/v1/passed-on/{passed_on}/decline/", (401, 400, 400, 404, 404, 404, 404)),
    # who has looked at her (VIEW_SEALED_DETAILS: the OIC and the unit's supervisors); a contact detail told
    # to the case (EDIT_CASE); checking with nothing to check is refused (400)
    "casework:identifier-add": (
        "GET",
        "/cases/{case}/people/{victim}/identifiers/new/",
        (LOGIN, 200, 200, 404, 404, 404, 404),
    ),
    "casework:case-lookups": ("GET", "/cases/{case}/lookups/", (LOGIN, 200, 200, 404, 404, 404, 404)),
    "casework:case-lookups-checked": ("POST", "/cases/{case}/lookups/checked/", (LOGIN, 302, 302, 404, 404, 404, 404)),
    "api-person-identifiers": (
        "POST",
        "/api/v1/cases/{case}/people/{victim}/identifiers/",
        (401, 400, 400, 404, 404, 404, 404),
    ),
    "api-case-lookups": ("GET", "/api/v1/cases/{case}/lookups/", (401, 200, 200, 404, 404, 404, 404)),
    "api-case-lookups-checked": ("POST", "/api/v1/cases/{case}/lookups/checked/", (401, 400, 400, 404, 404, 404, 404)),
    # access concerns (repeated refused attempts): the registrar's of the user's force (REVIEW_ACCESS_CONCERNS);
    # `{concern}` is a real concern about the stranger, an officer of the registrar's force; an empty
    # acknowledgement gets 400 where permitted
    "access-concerns": ("GET", "/access-concerns/", (LOGIN, 404, 404, 200, 404, 404, 404)),
    "access-concern": ("GET", "/access-concerns/{concern}/", (LOGIN, 404, 404, 200, 404, 404, 404)),
    "api-access-concerns": ("GET", "/api/v1/access-concerns/", (401, 404, 404, 200, 404, 404, 404)),
    "api-access-concern-acknowledge": (
        "POST",
        "/api/v1/access-concerns/{concern}/acknowledge/",
        (401, 404, 404, 400, 404, 404, 404),
    ),
    "api-schema": ("GET", "/api/schema/", (401, 200, 200, 200, 200, 200, 200)),
    "api-docs": ("GET", "/api/docs/", (401, 200, 200, 200, 200, 200, 200)),
}
# The Django admin is for the registrar/admin role only (staff); every admin page shares this row.
ADMIN_ROW = ("GET", "/admin/", (LOGIN, LOGIN, LOGIN, 200, LOGIN, LOGIN, LOGIN))


def _url_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            names |= _url_names(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
        elif isinstance(entry, URLPattern):
            names.add(f"{namespace}<unnamed {entry.pattern}>")
    return names


def test_every_url_has_a_row():
    names = {n for n in _url_names(get_resolver()) if not n.startswith("admin:")}
    assert names - MATRIX.keys() == set(), "add these URLs to the permission matrix"
    assert MATRIX.keys() - names == set(), "these matrix rows name URLs that no longer exist"


PLACEHOLDER = re.compile(r"\{(\w+)\}")
NOWHERE = 404


def variants(method: str, path: str, expected: tuple) -> list[tuple[str, tuple]]:
    """(kit, expected statuses) for the row as written and for its variants (the module's docstring)."""
    rows = [("own", expected)]
    names = set(PLACEHOLDER.findall(path))
    signed_out = expected[0]
    nowhere = (signed_out, *(NOWHERE,) * (len(ROLES) - 1))
    if names == {"case"}:
        return [*rows, ("other_force_case", nowhere)]
    if not names:
        return rows
    if "{case}" in path:
        rows += [("sibling", nowhere), ("other_unit", nowhere)]
    else:
        by_role = dict(zip(ROLES, expected, strict=True))
        mirrored = (
            by_role
            | {role: NOWHERE for role in ROLES[1:]}
            | {
                "registrar": by_role["registrar"],
                "stranger": by_role["officer"],
            }
        )
        rows.append(("other_unit", tuple(mirrored[role] for role in ROLES)))
    rows.append(("other_force", nowhere))
    return rows


ROWS = [
    pytest.param(method, path, kit, want, id=f"{name}-{kit}")
    for name, (method, path, expected) in [*MATRIX.items(), ("admin:index", ADMIN_ROW)]
    for kit, want in variants(method, path, expected)
]


@pytest.mark.parametrize(("method", "path", "kit", "expected"), ROWS)
def test_each_role_gets_the_expected_status(world, db, method, path, kit, expected):
    if kit == "other_force_case":  # a case route with the case of another force
        ids = world.kits["other_force"].ids
    else:
        ids = world.kits[kit].ids | {"case": world.kits["own"].case}
    url = path.format(**ids)
    got = []
    for role in ROLES:
        # Each role's request in its own savepoint: what one role's request changed, the next does not see.
        with transaction.atomic():
            client = Client()
            if role != "anonymous":
                client.force_login(world.users[role])
            got.append(client.generic(method, url).status_code)
            transaction.set_rollback(True)
    wrong = {
        role: (status, want)
        for role, status, want in zip(ROLES, got, expected, strict=True)
        if status not in (want if isinstance(want, set) else {want})
    }
    assert not wrong, f"{method} {url}: got {tuple(got)}; role: (got, expected) {wrong}"
