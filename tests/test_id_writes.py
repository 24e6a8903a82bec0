"""No write grants sight of what the caller could not read before (issue 12; threat model, "How to test
like them").

Every write that takes an id (the API's `*_id` fields, the forms' choices of records, ids in the URL
next to a case, imports and batches) is tried by insiders on a case of their own with the real id of a
record of a case that is not that case (tests/world.py): an officer and a supervisor of another unit, and
of another force, with the records of the officer's case; the officer in the case herself with the
records of another of her cases; advocates and CPS lawyers with the records of cases not referred or sent
to them; the registrar with another force's. An id in the URL answers 404; an id in the body 400 naming
the field; and nothing is saved (every row of the case apps, the timeline among them, is as before). A
route named by the record alone (no case in the URL) is hers to use on her other case, so she does not
try those. As the officer in the case, every id of a person must name a party of that case in the right
role. And the services that receive a case and a record refuse another case's record by themselves,
whatever the view looked up first.

Linking an existing person into a case (`POST /api/v1/cases/{id}/people/` with `person_id`, the "link"
button) stays open across units by design: it brings her identity only, never her sealed details
(casework/tests/test_sealed_details_across_units.py).

The tests that enumerate the URL conf, the API's request serializers and the forms make a new write
that takes an id fail until it has a row here."""

import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import transaction
from django.forms import BaseForm, ModelChoiceField, TypedChoiceField, TypedMultipleChoiceField
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

CASE_APPS = ("casework", "orders", "risk", "recording", "protocol")
# A refused look at her is recorded for her officer (casework/services/lookups.py): that is not a save.
NOT_CASE_DATA = {"casework.outsidelookup"}


def _now():
    return timezone.now()


def _yesterday() -> str:
    return (_now() - timedelta(days=1)).isoformat()


def _yesterday_local() -> str:
    return timezone.localtime(_now() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")


def _tomorrow_local() -> str:
    return timezone.localtime(_now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")


def _today() -> str:
    return timezone.localdate().isoformat()


def _in(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


@dataclass(frozen=True)
class Write:
    """One write that takes an id. `path` and `body` are built from the actor's kit (`own`) and the
    other case's (`foreign`); `refused` is 404 (an id in the URL) or the field the 400 must name."""

    name: str
    method: str
    path: str
    body: Callable | None
    refused: int | str
    covers: tuple[tuple, ...]
    kind: str = "json"  # json, form or multipart
    actors: str = "police"  # police, supervisors, advocates, lawyers, registrar
    paired: bool = True  # False: the record alone names the route


def api(name, method, path, body, refused, *covers, **kw) -> Write:
    return Write(name, method, path, body, refused, covers, **kw)


def page(name, path, body, refused, *covers, **kw) -> Write:
    return Write(name, "POST", path, body, refused, covers, kind=kw.pop("kind", "form"), **kw)


def _incident(**extra) -> dict:
    return {"occurred_at": _yesterday(), "channel": "text", **extra}


def _incident_form(**extra) -> dict:
    return {"occurred_at": _yesterday_local(), "channel": "text", "count": "1", "reported_by": "victim",
            "report_method": "in_person", **extra}  # fmt: skip


def _text_file():
    upload = io.BytesIO(b"A screenshot described in words.\n")
    upload.name = "exhibit.txt"
    return upload


def _csv_upload():
    when = timezone.localtime(_now() - timedelta(days=2))
    upload = io.BytesIO(f"occurred_at,channel,count\n{when:%Y-%m-%d %H:%M},text,2\n".encode())
    upload.name = "log.csv"
    return upload


ORDER_DETAILS = {"court": "Leeds Magistrates' Court", "applicant": "", "grounds_acts": "", "grounds_risk": "",
                 "grounds_necessity": "", "hearing_at": None}  # fmt: skip

WRITES = [
    # --- the course of conduct: incidents, evidence, contact, referrals, the officer's review ----------
    api("incident: victim", "POST", "/api/v1/cases/{own.case}/incidents/",
        lambda o, f: _incident(victim_id=f.victim), "victim_id",
        ("api", "/api/v1/cases/{case_id}/incidents/", "post", "victim_id")),
    api("incident edit: victim", "PUT", "/api/v1/cases/{own.case}/incidents/{own.incident}/",
        lambda o, f: _incident(victim_id=f.victim, version=1), "victim_id",
        ("api", "/api/v1/cases/{case_id}/incidents/{incident_id}/", "put", "victim_id")),
    api("incident edit: the incident", "PUT", "/api/v1/cases/{own.case}/incidents/{foreign.incident}/",
        lambda o, f: _incident(version=1), 404, ("url", "api-incident-detail", "incident_id")),
    api("batch: victim", "POST", "/api/v1/cases/{own.case}/incidents/batch/",
        lambda o, f: {"client_key": "insider-1", "incidents": [_incident(), _incident(victim_id=f.victim)]}, "rows",
        ("api", "/api/v1/cases/{case_id}/incidents/batch/", "post", "incidents[].victim_id")),
    api("evidence: incident", "POST", "/api/v1/cases/{own.case}/evidence/",
        lambda o, f: {"file": _text_file(), "description": "Screenshot", "incident_id": f.incident}, "incident_id",
        ("api", "/api/v1/cases/{case_id}/evidence/", "post", "incident_id"), kind="multipart"),
    api("contact: victim", "POST", "/api/v1/cases/{own.case}/contacts/",
        lambda o, f: {"victim_id": f.victim, "contacted_at": _yesterday(), "method": "phone", "summary": "Updated"},
        "victim_id", ("api", "/api/v1/cases/{case_id}/contacts/", "post", "victim_id")),
    api("referral: victim", "POST", "/api/v1/cases/{own.case}/referrals/",
        lambda o, f: {"victim_id": f.victim, "service": "idva", "outcome": "referred", "referred_on": _today()},
        "victim_id", ("api", "/api/v1/cases/{case_id}/referrals/", "post", "victim_id")),
    api("referral end", "POST", "/api/v1/referrals/{foreign.referral}/end/",
        lambda o, f: {"ended_on": _today(), "reason": "Finished"}, 404, ("url", "api-referral-end", "referral_id"),
        paired=False),
    api("passed on: accept", "POST", "/api/v1/passed-on/{foreign.passed_on}/accept/", lambda o, f: {}, 404,
        ("url", "api-passed-on-accept", "item_id"), paired=False),
    api("passed on: decline", "POST", "/api/v1/passed-on/{foreign.passed_on}/decline/",
        lambda o, f: {"reason": "Not him"}, 404, ("url", "api-passed-on-decline", "item_id"), paired=False),
    api("alert: acknowledge", "POST", "/api/v1/alerts/{foreign.alert}/actions/",
        lambda o, f: {"action": "acknowledge", "reason": "Seen"}, 404, ("url", "api-alert-action", "alert_id"),
        paired=False),
    api("case: officer in the case", "POST", "/api/v1/cases/",
        lambda o, f: {"title": "Insider", "officer": f.oic_username}, "officer",
        ("api", "/api/v1/cases/", "post", "officer"), paired=False),
    api("person: contact detail", "POST", "/api/v1/cases/{own.case}/people/{foreign.victim}/identifiers/",
        lambda o, f: {"kind": "phone", "value": "07700 900999"}, 404,
        ("url", "api-person-identifiers", "person_id")),
    page("incident form: victim", "/cases/{own.case}/incidents/new/", lambda o, f: _incident_form(victim=f.victim),
         "victim", ("form", "IncidentForm", "victim")),
    page("incident form: the incident", "/cases/{own.case}/incidents/{foreign.incident}/edit/",
         lambda o, f: _incident_form(version=1), 404, ("url", "casework:incident-edit", "incident_id")),
    page("incident edit form: victim", "/cases/{own.case}/incidents/{own.incident}/edit/",
         lambda o, f: _incident_form(version=1, victim=f.victim), "victim", ("form", "IncidentEditForm", "victim")),
    page("CSV import: victim", "/cases/{own.case}/incidents/import/",
         lambda o, f: {"file": _csv_upload(), "victim": f.victim, "client_key": "insider-csv"}, "victim",
         ("form", "IncidentImportForm", "victim"), kind="multipart"),
    page("evidence form: incident", "/cases/{own.case}/evidence/upload/",
         lambda o, f: {"file": _text_file(), "description": "Screenshot", "incident": f.incident}, "incident",
         ("form", "EvidenceUploadForm", "incident"), kind="multipart"),
    page("evidence task: done", "/cases/{own.case}/evidence/tasks/{foreign.task}/done/", lambda o, f: {}, 404,
         ("url", "casework:evidence-task-complete", "task_id")),
    page("contact form: victim", "/cases/{own.case}/contacts/new/",
         lambda o, f: {"victim_id": f.victim, "contacted_at": _yesterday_local(), "method": "phone", "summary": "Told"},
         "victim_id", ("form", "ContactForm", "victim_id")),
    page("Victims' Code entitlement", "/cases/{own.case}/contacts/entitlement/{foreign.victim}/",
         lambda o, f: {f"victim-{f.victim}-enhanced": "True"}, 404,
         ("url", "casework:victim-entitlement", "person_id")),
    page("referral form: victim", "/cases/{own.case}/referrals/new/",
         lambda o, f: {"victim_id": f.victim, "service": "idva", "outcome": "referred", "referred_on": _today()},
         "victim_id", ("form", "ReferralForm", "victim_id")),
    page("referral form: end", "/cases/{own.case}/referrals/{foreign.referral}/end/",
         lambda o, f: {f"end-{f.referral}-ended_on": _today(), f"end-{f.referral}-reason": "Finished"}, 404,
         ("url", "casework:referral-end", "referral_id")),
    page("passed on form: accept", "/cases/{own.case}/passed-on/{foreign.passed_on}/accept/",
         lambda o, f: _incident_form(), 404, ("url", "casework:passed-on-accept", "item_id")),
    page("passed on form: decline", "/cases/{own.case}/passed-on/{foreign.passed_on}/decline/",
         lambda o, f: {f"decline-{f.passed_on}-reason": "Not him"}, 404,
         ("url", "casework:passed-on-decline", "item_id")),
    page("person page: reveal", "/people/{foreign.victim}/?case={own.case}", lambda o, f: {"reason": "Checking"},
         404, ("url", "casework:person-detail", "person_id")),
    page("person: contact detail form", "/cases/{own.case}/people/{foreign.victim}/identifiers/new/",
         lambda o, f: {"kind": "phone", "value": "07700 900999"}, 404, ("url", "casework:identifier-add", "person_id")),
    page("alert form: acknowledge", "/alerts/{foreign.alert}/acknowledge/", lambda o, f: {"reason": "Seen"}, 404,
         ("url", "casework:alert-acknowledge", "alert_id"), paired=False),
    page("alert form: snooze", "/alerts/{foreign.alert}/snooze/",
         lambda o, f: {"reason": "Later", "until": _tomorrow_local()},
         404, ("url", "casework:alert-snooze", "alert_id"), paired=False),
    page("reassign: officer", "/cases/{own.case}/reassign/",
         lambda o, f: {"version": 1, "officer": f.oic, "reason": "Insider"}, "officer",
         ("form", "CaseReassignForm", "officer"), actors="supervisors"),
    # --- crime recording -------------------------------------------------------------------------------
    api("crime record: reclassify", "POST", "/api/v1/cases/{own.case}/crime-records/{foreign.record}/reclassify/",
        lambda o, f: {"version": 1, "offence": "pha_1997_s4a", "reason": "Fear of violence"}, 404,
        ("url", "api-crime-record-reclassify", "record_id")),
    api("earlier warning notice: recipient", "POST", "/api/v1/cases/{own.case}/legacy-notices/",
        lambda o, f: {"recipient_id": f.suspect, "notice_type": "pin", "issued_on": "2020-01-06",
                      "issuing_force": "West Midlands Police"},  # fmt: skip
        "recipient_id", ("api", "/api/v1/cases/{case_id}/legacy-notices/", "post", "recipient_id")),
    page("crime record form: reclassify", "/recording/cases/{own.case}/records/{foreign.record}/reclassify/",
         lambda o, f: {"version": 1, "offence": "pha_1997_s4a", "reason": "Fear of violence"}, 404,
         ("url", "recording:record-reclassify", "record_id")),
    # --- risk ----------------------------------------------------------------------------------------
    api("risk assessment: victim", "POST", "/api/v1/cases/{own.case}/risk-assessments/",
        lambda o, f: {"victim_id": f.victim, "kinds": ["dash"]}, "victim_id",
        ("api", "/api/v1/cases/{case_id}/risk-assessments/", "post", "victim_id")),
    api("risk assessment: answer", "POST", "/api/v1/cases/{own.case}/risk-assessments/{foreign.assessment}/actions/",
        lambda o, f: {"action": "answer", "version": 1, "answers": {}}, 404,
        ("url", "api-risk-assessment-action", "assessment_id")),
    api("risk plan: assessment", "POST", "/api/v1/cases/{own.case}/risk-plan/",
        lambda o, f: {"assessment_id": f.assessment, "risk": "Following", "action": "Alarm", "owner": "PC",
                      "due_on": _in(3)},  # fmt: skip
        "assessment_id", ("api", "/api/v1/cases/{case_id}/risk-plan/", "post", "assessment_id")),
    page("risk form: victim", "/risk/cases/{own.case}/assessments/new/",
         lambda o, f: {"victim": f.victim, "kinds": ["dash"]}, "victim", ("form", "StartForm", "victim")),
    page("risk form: answers", "/risk/cases/{own.case}/assessments/{foreign.assessment}/",
         lambda o, f: {"version": 1}, 404, ("url", "risk:assessment", "assessment_id")),
    page("risk plan form: assessment", "/risk/cases/{own.case}/assessments/{foreign.assessment}/plan/",
         lambda o, f: {"risk": "Following", "action": "Alarm", "owner": "PC", "due_on": _in(3)}, 404,
         ("url", "risk:plan-add", "assessment_id")),
    page("risk plan: done", "/risk/cases/{own.case}/assessments/{own.assessment}/plan/{foreign.action}/done/",
         lambda o, f: {}, 404, ("url", "risk:plan-done", "action_id")),
    page("risk plan: done, the assessment",
         "/risk/cases/{own.case}/assessments/{foreign.assessment}/plan/{foreign.action}/done/",
         lambda o, f: {}, 404, ("url", "risk:plan-done", "assessment_id")),
    page("risk: sign off", "/risk/cases/{own.case}/assessments/{foreign.assessment}/sign-off/", lambda o, f: {},
         404, ("url", "risk:sign-off", "assessment_id")),
    # --- protection: orders, conditions, breaches, bail, warrants, notices -----------------------------
    api("order: respondent", "POST", "/api/v1/cases/{own.case}/orders/",
        lambda o, f: {"order_type": "spo", "respondent_id": f.suspect, "protected_ids": [o.victim]}, "respondent_id",
        ("api", "/api/v1/cases/{case_id}/orders/", "post", "respondent_id")),
    api("order: protected", "POST", "/api/v1/cases/{own.case}/orders/",
        lambda o, f: {"order_type": "spo", "respondent_id": o.suspect, "protected_ids": [o.victim, f.victim]},
        "protected_ids", ("api", "/api/v1/cases/{case_id}/orders/", "post", "protected_ids")),
    api("order: follows", "POST", "/api/v1/cases/{own.case}/orders/",
        lambda o, f: {"order_type": "spo", "respondent_id": o.suspect, "protected_ids": [o.victim],
                      "follows_id": f.order},  # fmt: skip
        "follows_id", ("api", "/api/v1/cases/{case_id}/orders/", "post", "follows_id")),
    api("order: details", "PUT", "/api/v1/orders/{foreign.order}/", lambda o, f: {"version": 1, **ORDER_DETAILS},
        404, ("url", "api-order-detail", "order_id"), paired=False),
    api("order: lifecycle", "POST", "/api/v1/orders/{foreign.order}/actions/",
        lambda o, f: {"action": "vary", "version": 1, "reason": "Insider"}, 404,
        ("url", "api-order-action", "order_id"), paired=False),
    api("order condition: protected", "POST", "/api/v1/orders/{own.order}/conditions/",
        lambda o, f: {"kind": "no_contact", "rationale": "Texts", "protected_ids": [f.victim]}, "protected_ids",
        ("api", "/api/v1/orders/{order_id}/conditions/", "post", "protected_ids")),
    api("order condition: the order", "POST", "/api/v1/orders/{foreign.order}/conditions/",
        lambda o, f: {"kind": "no_contact", "rationale": "Texts", "protected_ids": [f.victim]}, 404,
        ("url", "api-order-conditions", "order_id"), paired=False),
    api("consultation: the order", "POST",
        "/api/v1/orders/{foreign.order}/conditions/{foreign.condition}/consultation/",
        lambda o, f: {"consultation": "supports", "consulted_on": _today(), "victim_view": "Yes"}, 404,
        ("url", "api-order-condition-consultation", "order_id"), paired=False),
    api("consultation: condition", "POST", "/api/v1/orders/{own.order}/conditions/{foreign.condition}/consultation/",
        lambda o, f: {"consultation": "supports", "consulted_on": _today(), "victim_view": "Yes"}, 404,
        ("url", "api-order-condition-consultation", "condition_id")),
    api("order breach: condition", "POST", "/api/v1/orders/{own.order}/breaches/",
        lambda o, f: {"condition_id": f.condition, "incident": _incident()}, "condition_id",
        ("api", "/api/v1/orders/{order_id}/breaches/", "post", "condition_id")),
    api("order breach: victim", "POST", "/api/v1/orders/{own.order}/breaches/",
        lambda o, f: {"incident": _incident(victim_id=f.victim)}, "victim_id",
        ("api", "/api/v1/orders/{order_id}/breaches/", "post", "incident.victim_id")),
    api("order breach: the order", "POST", "/api/v1/orders/{foreign.order}/breaches/",
        lambda o, f: {"incident": _incident()}, 404, ("url", "api-order-breaches", "order_id"), paired=False),
    api("bail breach: condition", "POST", "/api/v1/bail/{own.route}/breaches/",
        lambda o, f: {"condition_id": f.bail_condition, "incident": _incident()}, "condition_id",
        ("api", "/api/v1/bail/{route_id}/breaches/", "post", "condition_id")),
    api("bail breach: victim", "POST", "/api/v1/bail/{own.route}/breaches/",
        lambda o, f: {"incident": _incident(victim_id=f.victim)}, "victim_id",
        ("api", "/api/v1/bail/{route_id}/breaches/", "post", "incident.victim_id")),
    api("bail breach: the bail", "POST", "/api/v1/bail/{foreign.route}/breaches/",
        lambda o, f: {"incident": _incident()}, 404, ("url", "api-bail-breaches", "route_id"), paired=False),
    api("breach proposal", "POST", "/api/v1/breach-proposals/{foreign.proposal}/actions/",
        lambda o, f: {"action": "confirm"}, 404, ("url", "api-breach-proposal-action", "proposal_id"), paired=False),
    api("breach: substantive offence", "POST", "/api/v1/breaches/{foreign.breach}/substantive/",
        lambda o, f: {"decision": "further_offence"}, 404, ("url", "api-breach-substantive", "breach_id"),
        paired=False),
    api("route: suspect", "POST", "/api/v1/cases/{own.case}/bail/",
        lambda o, f: {"suspect_id": f.suspect, "route": "arrest", "occurred_on": _today()}, "suspect_id",
        ("api", "/api/v1/cases/{case_id}/bail/", "post", "suspect_id")),
    api("bail condition: protected", "POST", "/api/v1/bail/{own.route}/actions/",
        lambda o, f: {"action": "add_condition", "kind": "no_contact", "rationale": "Texts",
                      "protected_ids": [f.victim]},  # fmt: skip
        "protected_ids", ("api", "/api/v1/bail/{route_id}/actions/", "post", "protected_ids")),
    api("bail: the bail", "POST", "/api/v1/bail/{foreign.route}/actions/",
        lambda o, f: {"action": "end", "reason": "Insider"}, 404, ("url", "api-bail-action", "route_id"),
        paired=False),
    api("warrant: exhibits seized", "POST", "/api/v1/search-warrants/{own.granted}/actions/",
        lambda o, f: {"action": "execute", "officers": "PC Shah", "evidence_ids": [f.evidence]}, "evidence_ids",
        ("api", "/api/v1/search-warrants/{warrant_id}/actions/", "post", "evidence_ids")),
    api("warrant: the warrant", "POST", "/api/v1/search-warrants/{foreign.warrant}/actions/",
        lambda o, f: {"action": "decide", "granted": True}, 404, ("url", "api-search-warrant-action", "warrant_id"),
        paired=False),
    page("order form: respondent", "/orders/cases/{own.case}/orders/new/",
         lambda o, f: {"order_type": "spo", "respondent": f.suspect, "protected": [o.victim]}, "respondent",
         ("form", "ConsiderForm", "respondent")),
    page("order form: protected", "/orders/cases/{own.case}/orders/new/",
         lambda o, f: {"order_type": "spo", "respondent": o.suspect, "protected": [f.victim]}, "protected",
         ("form", "ConsiderForm", "protected")),
    page("order form: details", "/orders/cases/{own.case}/orders/{foreign.order}/",
         lambda o, f: {"version": 1, "court": "Leeds"}, 404, ("url", "orders:order-detail", "order_id")),
    page("order form: lifecycle", "/orders/cases/{own.case}/orders/{foreign.order}/transition/",
         lambda o, f: {"action": "vary", "version": 1, "on": _today(), "reason": "Insider"}, 404,
         ("url", "orders:order-transition", "order_id")),
    page("condition form: protected", "/orders/cases/{own.case}/orders/{own.order}/conditions/new/",
         lambda o, f: {"kind": "no_contact", "protected": [f.victim], "rationale": "Texts",
                       "consultation": "not_consulted"},  # fmt: skip
         "protected", ("form", "ConditionForm", "protected")),
    page("condition form: the order", "/orders/cases/{own.case}/orders/{foreign.order}/conditions/new/",
         lambda o, f: {"kind": "no_contact", "protected": [f.victim], "rationale": "Texts",
                       "consultation": "not_consulted"},  # fmt: skip
         404, ("url", "orders:condition-add", "order_id")),
    page("consultation form: condition",
         "/orders/cases/{own.case}/orders/{own.order}/conditions/{foreign.condition}/consultation/",
         lambda o, f: {f"condition-{f.condition}-consultation": "supports",
                       f"condition-{f.condition}-consulted_on": _today(),
                       f"condition-{f.condition}-victim_view": "Yes"},  # fmt: skip
         404, ("url", "orders:condition-consultation", "condition_id")),
    page("consultation form: the order",
         "/orders/cases/{own.case}/orders/{foreign.order}/conditions/{foreign.condition}/consultation/",
         lambda o, f: {f"condition-{f.condition}-consultation": "supports",
                       f"condition-{f.condition}-consulted_on": _today(),
                       f"condition-{f.condition}-victim_view": "Yes"},  # fmt: skip
         404, ("url", "orders:condition-consultation", "order_id")),
    page("respondent notified", "/orders/cases/{own.case}/orders/{foreign.order}/notified/",
         lambda o, f: {"on": _today()}, 404, ("url", "orders:order-notified", "order_id")),
    page("breach form: condition", "/orders/cases/{own.case}/orders/{own.order}/breaches/new/",
         lambda o, f: {"condition": f.condition, "occurred_at": _yesterday_local(), "channel": "text", "count": 1},
         "condition", ("form", "BreachForm", "condition")),
    page("breach form: victim", "/orders/cases/{own.case}/orders/{own.order}/breaches/new/",
         lambda o, f: {"victim": f.victim, "occurred_at": _yesterday_local(), "channel": "text", "count": 1},
         "victim", ("form", "BreachForm", "victim")),
    page("breach form: the order", "/orders/cases/{own.case}/orders/{foreign.order}/breaches/new/",
         lambda o, f: {"occurred_at": _yesterday_local(), "channel": "text", "count": 1}, 404,
         ("url", "orders:breach-create", "order_id")),
    page("breach form: substantive", "/orders/cases/{own.case}/breaches/{foreign.breach}/substantive/",
         lambda o, f: {f"breach-{f.breach}-substantive_decision": "further_offence"}, 404,
         ("url", "orders:breach-substantive", "breach_id")),
    page("proposal: confirm", "/orders/cases/{own.case}/proposals/{foreign.proposal}/confirm/", lambda o, f: {},
         404, ("url", "orders:proposal-confirm", "proposal_id")),
    page("proposal: reject", "/orders/cases/{own.case}/proposals/{foreign.proposal}/reject/",
         lambda o, f: {f"proposal-{f.proposal}-rejection_reason": "Not him"}, 404,
         ("url", "orders:proposal-reject", "proposal_id")),
    page("notice: she was told", "/orders/cases/{own.case}/notices/{foreign.notice}/",
         lambda o, f: {"informed_at": _yesterday_local(), "method": "phone"}, 404,
         ("url", "orders:notice-detail", "notice_id")),
    page("route form: suspect", "/orders/cases/{own.case}/routes/new/",
         lambda o, f: {"suspect_id": f.suspect, "route": "arrest", "occurred_on": _today()}, "suspect_id",
         ("form", "RouteForm", "suspect_id")),
    page("bail: the zones shown with a reason", "/orders/cases/{own.case}/routes/{foreign.route}/",
         lambda o, f: {"reason": "Checking"}, 404, ("url", "orders:route-detail", "route_id")),
    page("route: review", "/orders/cases/{own.case}/routes/{foreign.route}/review/",
         lambda o, f: {"review_note": "Agreed"}, 404, ("url", "orders:route-review", "route_id")),
    page("bail: extension", "/orders/cases/{own.case}/routes/{foreign.route}/bail/extension/",
         lambda o, f: {"new_end": _in(70), "authority": "inspector", "authorised_on": _today()}, 404,
         ("url", "orders:bail-extend", "route_id")),
    page("bail: end", "/orders/cases/{own.case}/routes/{foreign.route}/bail/end/",
         lambda o, f: {"ended_on": _today(), "reason": "Insider"}, 404, ("url", "orders:bail-end", "route_id")),
    page("bail condition form: protected", "/orders/cases/{own.case}/routes/{own.route}/bail/conditions/new/",
         lambda o, f: {"kind": "no_contact", "protected_ids": [f.victim], "rationale": "Texts",
                       "consultation": "not_consulted"},  # fmt: skip
         "protected_ids", ("form", "BailConditionForm", "protected_ids")),
    page("bail condition form: the bail", "/orders/cases/{own.case}/routes/{foreign.route}/bail/conditions/new/",
         lambda o, f: {"kind": "no_contact", "protected_ids": [f.victim], "rationale": "Texts",
                       "consultation": "not_consulted"},  # fmt: skip
         404, ("url", "orders:bail-condition-add", "route_id")),
    page("bail breach form: condition", "/orders/cases/{own.case}/routes/{own.route}/bail/breaches/new/",
         lambda o, f: {"condition": f.bail_condition, "occurred_at": _yesterday_local(), "channel": "text",
                       "count": 1},  # fmt: skip
         "condition", ("form", "BreachForm", "condition")),
    page("bail breach form: the bail", "/orders/cases/{own.case}/routes/{foreign.route}/bail/breaches/new/",
         lambda o, f: {"occurred_at": _yesterday_local(), "channel": "text", "count": 1}, 404,
         ("url", "orders:bail-breach-create", "route_id")),
    page("warrant: decision", "/orders/cases/{own.case}/warrants/{foreign.warrant}/decision/",
         lambda o, f: {"granted": "True", "decided_on": _today()}, 404, ("url", "orders:warrant-decide", "warrant_id")),
    page("warrant: execution", "/orders/cases/{own.case}/warrants/{foreign.granted}/execution/",
         lambda o, f: {"executed_on": _today(), "officers": "PC Shah"}, 404,
         ("url", "orders:warrant-execute", "warrant_id")),
    page("warrant form: exhibits seized", "/orders/cases/{own.case}/warrants/{own.granted}/execution/",
         lambda o, f: {f"warrant-{o.granted}-executed_on": _today(), f"warrant-{o.granted}-officers": "PC Shah",
                       f"warrant-{o.granted}-evidence_ids": [f.evidence]},  # fmt: skip
         "evidence_ids", ("form", "WarrantExecuteForm", "evidence_ids")),
    page("document: prepare again", "/documents/{foreign.document}/again/", lambda o, f: {}, 404,
         ("url", "casework:document-again", "document_id"), paired=False),
    api("document: prepare again", "POST", "/api/v1/documents/{foreign.document}/again/", lambda o, f: {}, 404,
        ("url", "api-document-again", "document_id"), paired=False),
    page("SPO application", "/orders/cases/{own.case}/orders/{foreign.order}/application/", lambda o, f: {}, 404,
         ("url", "orders:order-application", "order_id")),
    # --- the handover to the CPS -----------------------------------------------------------------------
    api("charging request: lawyer", "POST", "/api/v1/cases/{own.case}/handovers/",
        lambda o, f: {"lawyer_id": f.oic, "priority": "green", "note": ""}, "lawyer_id",
        ("api", "/api/v1/cases/{case_id}/handovers/", "post", "lawyer_id")),
    page("charging request form: lawyer", "/protocol/cases/{own.case}/handover/send/",
         lambda o, f: {"lawyer": f.oic, "priority": "green"}, "lawyer", ("form", "SendForm", "lawyer")),
    api("prosecutor's action: answer", "POST", "/api/v1/cps-actions/{foreign.cps_action}/answer/",
        lambda o, f: {"answer": "Done"}, 404, ("url", "api-cps-action-answer", "action_id"), paired=False),
    page("prosecutor's action form: answer", "/protocol/cps-actions/{foreign.cps_action}/answer/",
         lambda o, f: {"answer": "Done"}, 404, ("url", "protocol:cps-action-answer", "action_id"), paired=False),
    api("charging request: raise an action", "POST", "/api/v1/handovers/{foreign.handover}/actions/",
        lambda o, f: {"request": "CCTV", "due_on": _in(7)}, 404, ("url", "api-handover-actions", "handover_id"),
        actors="lawyers", paired=False),
    api("charging request: decision", "POST", "/api/v1/handovers/{foreign.handover}/decision/",
        lambda o, f: {"decision": "no_further_action", "rationale": "Insider"}, 404,
        ("url", "api-handover-decision", "handover_id"), actors="lawyers", paired=False),
    api("charging request: plea", "POST", "/api/v1/handovers/{foreign.handover}/pleas/",
        lambda o, f: {"offence_charged": "pha_s4a", "offence_pleaded": "pha_s2", "accepted": False,
                      "rationale": "Insider"},  # fmt: skip
        404, ("url", "api-handover-pleas", "handover_id"), actors="lawyers", paired=False),
    page("charging request form: raise an action", "/protocol/handovers/{foreign.handover}/actions/new/",
         lambda o, f: {"request": "CCTV", "due_on": _in(7)}, 404,
         ("url", "protocol:handover-action-raise", "handover_id"), actors="lawyers", paired=False),
    page("charging request form: decision", "/protocol/handovers/{foreign.handover}/decision/",
         lambda o, f: {"decision": "no_further_action", "rationale": "Insider"}, 404,
         ("url", "protocol:handover-decision", "handover_id"), actors="lawyers", paired=False),
    page("charging request form: plea", "/protocol/handovers/{foreign.handover}/pleas/new/",
         lambda o, f: {"offence_charged": "pha_s4a", "offence_pleaded": "pha_s2", "accepted": "False",
                       "rationale": "Insider"},  # fmt: skip
         404, ("url", "protocol:handover-plea", "handover_id"), actors="lawyers", paired=False),
    api("decision: restraining order sought", "POST", "/api/v1/cases/{own.case}/decisions/",
        lambda o, f: {"kind": "charge", "basis": "police", "offences": ["pha_s2"], "reason": "Admitted",
                      "restraining_order_sought": True, "restraining_order_id": f.restraining_order},  # fmt: skip
        "restraining_order_id", ("api", "/api/v1/cases/{case_id}/decisions/", "post", "restraining_order_id")),
    page("charge form: restraining order sought", "/protocol/cases/{own.case}/decisions/",
         lambda o, f: {"decision": "charge", "charge-basis": "police", "charge-offences": ["pha_s2"],
                       "charge-reason": "Admitted", "charge-restraining_order_sought": "yes",
                       "charge-restraining_order_id": f.restraining_order},  # fmt: skip
         "restraining_order_id", ("form", "ChargeForm", "restraining_order_id")),
    page("court outcome form: restraining order sought", "/protocol/cases/{own.case}/decisions/",
         lambda o, f: {"decision": "court", "court-court_result": "convicted", "court-restraining_order_sought": "yes",
                       "court-restraining_order_id": f.restraining_order},  # fmt: skip
         "restraining_order_id", ("form", "CourtOutcomeForm", "restraining_order_id")),
    # --- the advocate ----------------------------------------------------------------------------------
    api("safety plan: victim", "POST", "/api/v1/care/cases/{own.case}/safety-plan/",
        lambda o, f: {"victim_id": f.victim, "risk": "He waits", "measure": "Alarm"}, "victim_id",
        ("api", "/api/v1/care/cases/{case_id}/safety-plan/", "post", "victim_id"), actors="advocates"),
    api("safety plan: done", "POST", "/api/v1/care/safety-plan/{foreign.plan_item}/done/", lambda o, f: {}, 404,
        ("url", "api-care-plan-done", "item_id"), actors="advocates", paired=False),
    api("passing on: victim", "POST", "/api/v1/care/cases/{own.case}/passed-on/",
        lambda o, f: {"victim_id": f.victim, "occurred_at": _yesterday(), "channel": "text", "count": 1,
                      "account": "He texted"},  # fmt: skip
        "victim_id", ("api", "/api/v1/care/cases/{case_id}/passed-on/", "post", "victim_id"), actors="advocates"),
    page("safety plan form: victim", "/care/cases/{own.case}/safety-plan/",
         lambda o, f: {"victim_id": f.victim, "risk": "He waits", "measure": "Alarm"}, "victim_id",
         ("form", "SafetyPlanItemForm", "victim_id"), actors="advocates"),
    page("safety plan form: done", "/care/safety-plan/{foreign.plan_item}/done/", lambda o, f: {}, 404,
         ("url", "casework:care-safety-plan-done", "item_id"), actors="advocates", paired=False),
    page("passing on form: victim", "/care/cases/{own.case}/passed-on/",
         lambda o, f: {"victim_id": f.victim, "occurred_at": _yesterday_local(), "channel": "text", "count": 1,
                       "account": "He texted"},  # fmt: skip
         "victim_id", ("form", "PassedOnForm", "victim_id"), actors="advocates"),
    # --- the crime registrar -------------------------------------------------------------------------
    api("retention decision", "POST", "/api/v1/retention/cases/{foreign.finalised}/",
        lambda o, f: {"decision": "retain", "reason": "Insider", "next_review_on": _in(365)}, 404,
        ("url", "api-retention-decision", "case_id"), actors="registrar", paired=False),
    page("retention form", "/retention/cases/{foreign.finalised}/",
         lambda o, f: {"decision": "retain", "reason": "Insider", "next_review_on": _in(365)}, 404,
         ("url", "casework:retention-review", "case_id"), actors="registrar", paired=False),
    api("access concern: acknowledge", "POST", "/api/v1/access-concerns/{foreign.concern}/acknowledge/",
        lambda o, f: {"note": "Looked into"}, 404, ("url", "api-access-concern-acknowledge", "concern_id"),
        actors="registrar", paired=False),
    api("earlier warning notice: review", "POST", "/api/v1/legacy-notices/{foreign.legacy_notice}/review/",
        lambda o, f: {"accepted": True, "note": "Insider"}, 404, ("url", "api-legacy-notice-review", "notice_id"),
        actors="registrar", paired=False),
    page("earlier warning notice form: review", "/recording/legacy-notices/{foreign.legacy_notice}/review/",
         lambda o, f: {"accepted": "yes", "note": "Insider"}, 404,
         ("url", "recording:legacy-notice-review", "notice_id"), actors="registrar", paired=False),
    page("access concern form: acknowledge", "/access-concerns/{foreign.concern}/",
         lambda o, f: {"note": "Looked into"}, 404, ("url", "access-concern", "concern_id"), actors="registrar",
         paired=False),
    # --- anyone: her own API tokens only ----------------------------------------------------------------
    page("API token: revoke", "/api-tokens/{foreign.api_token}/revoke/", None, 404,
         ("url", "api-token-revoke", "token_id"), paired=False),
]  # fmt: skip

# Who tries, on which kit's case, with which kit's records (tests/world.py).
ACTORS = {
    "police": [
        ("stranger", "other_unit", "own"),
        ("stranger_supervisor", "other_unit", "own"),
        ("outsider", "other_force", "own"),
        ("outsider_supervisor", "other_force", "own"),
        ("officer", "own", "sibling"),
    ],
    "supervisors": [("stranger_supervisor", "other_unit", "own"), ("outsider_supervisor", "other_force", "own")],
    "advocates": [
        ("advocate2", "other_unit", "own"),
        ("advocate3", "other_force", "own"),
        ("advocate", "own", "sibling"),
    ],
    "lawyers": [("lawyer2", "other_unit", "own"), ("lawyer3", "other_force", "own"), ("lawyer", "own", "sibling")],
    "registrar": [("registrar", "own", "other_force")],
}  # fmt: skip


class KitView:
    """A kit's ids by name, plus its officer in the case (`oic`, `oic_username`)."""

    def __init__(self, world, kit: str):
        self._ids = world.kits[kit].ids
        oic = {"own": "officer", "sibling": "officer", "other_unit": "stranger", "other_force": "outsider"}[kit]
        self.oic, self.oic_username = world.users[oic].pk, world.users[oic].username

    def __getattr__(self, name: str) -> int:
        return self.__dict__["_ids"][name]


def _state() -> dict[str, list]:
    """Every row of the case apps (many-to-many tables too): what a refused write must leave alone."""
    state = {}
    for label in CASE_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.label_lower not in NOT_CASE_DATA:
                state[model._meta.label_lower] = list(model._base_manager.order_by("pk").values_list())
    return state


def _send(client: Client, write: Write, path: str, body: dict | None):
    if write.kind == "json":
        return client.generic(write.method, path, json.dumps(body or {}), content_type="application/json")
    return client.post(path, body or {})


def _form_errors(response) -> set[str]:
    contexts = response.context if isinstance(response.context, list) else [response.context]
    fields = set()
    for context in filter(None, contexts):
        for value in context.flatten().values():
            if isinstance(value, BaseForm) and value.is_bound:
                fields |= set(value.errors)
    return fields


def _tries(writes: list[Write]) -> list:
    params = []
    for write in writes:
        for user, own, foreign in ACTORS[write.actors]:
            if not write.paired and own == "own" and foreign == "sibling":
                continue  # her other case's record is hers to act on by itself
            params.append(pytest.param(write, user, own, foreign, id=f"{write.name} [{user}]"))
    return params


def _try(world, write: Write, user: str, own: str, foreign: str):
    o, f = KitView(world, own), KitView(world, foreign)
    path = write.path.format(own=o, foreign=f)
    body = write.body(o, f) if write.body else None
    client = Client()
    client.force_login(world.users[user])
    before = _state()
    with transaction.atomic():
        response = _send(client, write, path, body)
        after = _state()
        transaction.set_rollback(True)  # should anything have been saved, the next try must not see it
    changed = sorted(name for name in before if before[name] != after[name])
    return response, changed


def _assert_refused(write: Write, response, changed: list[str]) -> None:
    assert not changed, f"{write.name}: saved {changed}"
    if write.refused == 404:
        assert response.status_code == 404, (write.name, response.status_code)
        return
    assert response.status_code == 400, (write.name, response.status_code, response.content[:600])
    if write.kind == "json" or write.path.startswith("/api/"):
        errors = response.json()["errors"]
    else:
        errors = _form_errors(response)
    assert write.refused in errors, (write.name, errors)


@pytest.mark.parametrize(("write", "user", "own", "foreign"), _tries(WRITES))
def test_an_id_of_another_case_is_refused_and_nothing_is_saved(world, db, write, user, own, foreign):
    response, changed = _try(world, write, user, own, foreign)
    _assert_refused(write, response, changed)


# --- A person id names a party of the case in the right role -----------------------------------------------

ROLE_WRITES = [
    api("incident: the suspect as victim", "POST", "/api/v1/cases/{own.case}/incidents/",
        lambda o, f: _incident(victim_id=o.suspect), "victim_id"),
    api("batch: the suspect as victim", "POST", "/api/v1/cases/{own.case}/incidents/batch/",
        lambda o, f: {"client_key": "role-1", "incidents": [_incident(victim_id=o.suspect)]}, "rows"),
    api("order breach: the suspect as victim", "POST", "/api/v1/orders/{own.order}/breaches/",
        lambda o, f: {"incident": _incident(victim_id=o.suspect)}, "victim_id"),
    api("contact: the suspect as victim", "POST", "/api/v1/cases/{own.case}/contacts/",
        lambda o, f: {"victim_id": o.suspect, "contacted_at": _yesterday(), "method": "phone", "summary": "Told"},
        "victim_id"),
    api("referral: the suspect as victim", "POST", "/api/v1/cases/{own.case}/referrals/",
        lambda o, f: {"victim_id": o.suspect, "service": "idva", "outcome": "referred", "referred_on": _today()},
        "victim_id"),
    api("risk assessment: the suspect as victim", "POST", "/api/v1/cases/{own.case}/risk-assessments/",
        lambda o, f: {"victim_id": o.suspect, "kinds": ["dash"]}, "victim_id"),
    api("order: the victim as respondent", "POST", "/api/v1/cases/{own.case}/orders/",
        lambda o, f: {"order_type": "spo", "respondent_id": o.victim, "protected_ids": [o.victim]}, "respondent_id"),
    api("order: the suspect protected", "POST", "/api/v1/cases/{own.case}/orders/",
        lambda o, f: {"order_type": "spo", "respondent_id": o.suspect, "protected_ids": [o.suspect]},
        "protected_ids"),
    api("order condition: the suspect protected", "POST", "/api/v1/orders/{own.order}/conditions/",
        lambda o, f: {"kind": "no_contact", "rationale": "Texts", "protected_ids": [o.suspect]}, "protected_ids"),
    api("bail condition: the suspect protected", "POST", "/api/v1/bail/{own.route}/actions/",
        lambda o, f: {"action": "add_condition", "kind": "no_contact", "rationale": "Texts",
                      "protected_ids": [o.suspect]},  # fmt: skip
        "protected_ids"),
    api("route: the victim as suspect", "POST", "/api/v1/cases/{own.case}/bail/",
        lambda o, f: {"suspect_id": o.victim, "route": "arrest", "occurred_on": _today()}, "suspect_id"),
    api("earlier warning notice: given to the victim", "POST", "/api/v1/cases/{own.case}/legacy-notices/",
        lambda o, f: {"recipient_id": o.victim, "notice_type": "pin", "issued_on": "2020-01-06",
                      "issuing_force": "West Midlands Police"},  # fmt: skip
        "recipient_id"),
    page("Victims' Code entitlement: the suspect", "/cases/{own.case}/contacts/entitlement/{own.suspect}/",
         lambda o, f: {f"victim-{o.suspect}-enhanced": "True"}, 404),
    page("incident form: the suspect as victim", "/cases/{own.case}/incidents/new/",
         lambda o, f: _incident_form(victim=o.suspect), "victim"),
    page("order form: the victim as respondent", "/orders/cases/{own.case}/orders/new/",
         lambda o, f: {"order_type": "spo", "respondent": o.victim, "protected": [o.victim]}, "respondent"),
    api("safety plan: the suspect", "POST", "/api/v1/care/cases/{own.case}/safety-plan/",
        lambda o, f: {"victim_id": o.suspect, "risk": "He waits", "measure": "Alarm"}, "victim_id",
        actors="advocates"),
    api("passing on: the suspect", "POST", "/api/v1/care/cases/{own.case}/passed-on/",
        lambda o, f: {"victim_id": o.suspect, "occurred_at": _yesterday(), "channel": "text", "count": 1,
                      "account": "He texted"},  # fmt: skip
        "victim_id", actors="advocates"),
]  # fmt: skip

IN_CHARGE = {"police": "officer", "advocates": "advocate"}


@pytest.mark.parametrize("write", ROLE_WRITES, ids=[w.name for w in ROLE_WRITES])
def test_a_person_must_be_a_party_of_the_case_in_the_right_role(world, db, write):
    response, changed = _try(world, write, IN_CHARGE[write.actors], "own", "own")
    _assert_refused(write, response, changed)


# --- Every write that takes an id has a row --------------------------------------------------------------

COVERED = {cover for write in WRITES for cover in write.covers}
# Writes that take an id and are not refused here, with the reason.
NOT_REFUSED = {
    # Linking a known person stays open across units (the lead's, ADR 0007): identity only, never her
    # sealed details; the officers of her cases are alerted (casework/tests/test_sealed_details_across_units.py).
    ("api", "/api/v1/cases/{case_id}/people/", "post", "person_id"),
    # Support organisations are one list for everyone: any may be chosen.
    ("api", "/api/v1/cases/{case_id}/referrals/", "post", "organisation_id"),
    ("form", "ReferralForm", "organisation_id"),
}
# Routes with a record's id that only read (each answers a POST with 405, checked below); their ids
# are tried by the permission matrix.
READ_ONLY = {
    "casework:evidence-detail", "casework:evidence-download", "casework:document-status",
    "casework:document-download", "orders:order-documents", "protocol:handover-detail", "api-handover-detail",
    "api-document-detail", "api-document-download",
}  # fmt: skip
# Form fields that hold a number or a code, not a record's id; and filters of lists (reads).
NOT_IDS = {
    ("form", "CaseStageForm", "outcome_code"),  # a Home Office outcome code
    ("form", "EntitlementForm", "enhanced"),  # yes or no
    ("form", "CrimeRecordForm", "is_principal"),
    ("form", "StatisticsForm", "months"),
    ("form", "WarrantDecideForm", "granted"),
    ("form", "PleaForm", "accepted"),
    ("form", "ReferralForm", "consent_to_share"),
    ("form", "PassedOnAcceptForm", "victim"),  # removed in __init__: she is the victim the advocate passed on
    ("form", "AlertListForm", "case"),  # filters the user's own alert list
    ("form", "TimelineFilterForm", "person"),  # filters the timeline of a case the user may see
}
ID_FIELD = re.compile(r"(^|_)ids?$")
USER_FIELDS = {"officer"}  # a user named by username


def _url_params(resolver: URLResolver, namespace: str = "", prefix: str = "") -> list[tuple[str, str, object]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            space = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += _url_params(entry, space, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name and not namespace.startswith("admin"):
            route = prefix + str(entry.pattern)
            for param in re.findall(r"<int:(\w+)>", route):
                if param != "case_id":
                    found.append((f"{namespace}{entry.name}", param, route))
    return found


def _record_params() -> list[tuple[str, str, str]]:
    """(url name, parameter, route) for every route that names a record other than a case by its id (a
    case's id is tried by the permission matrix)."""
    return [(name, param, route) for name, param, route in _url_params(get_resolver())]


def test_every_route_naming_a_record_has_a_row_or_only_reads():
    missing = [
        (name, param)
        for name, param, _ in _record_params()
        if ("url", name, param) not in COVERED and name not in READ_ONLY
    ]
    assert missing == [], "add a row to WRITES for these routes (or READ_ONLY if they only read)"


@pytest.mark.parametrize("name", sorted(READ_ONLY))
def test_a_read_only_route_takes_no_write(world, db, name):
    route = next(route for n, _, route in _record_params() if n == name)
    own = KitView(world, "own")
    names = {"case_id": own.case, "evidence_id": own.evidence, "document_id": own.document, "order_id": own.order,
             "handover_id": own.handover}  # fmt: skip
    path = "/" + re.sub(r"<int:(\w+)>", lambda m: str(names[m.group(1)]), route)
    client = Client()
    client.force_login(world.users["officer"])
    assert client.post(path).status_code == 405


def _schema_fields(schema: dict, node: dict, prefix: str = "", seen: tuple = ()) -> list[str]:
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return (
            [] if name in seen else _schema_fields(schema, schema["components"]["schemas"][name], prefix, (*seen, name))
        )
    fields = []
    for key in ("allOf", "oneOf", "anyOf"):
        for sub in node.get(key, []):
            fields += _schema_fields(schema, sub, prefix, seen)
    if node.get("type") == "array" and "items" in node:
        fields += _schema_fields(schema, node["items"], prefix + "[]", seen)
    for name, prop in node.get("properties", {}).items():
        if prop.get("readOnly"):
            continue
        path = f"{prefix}.{name}" if prefix else name
        fields.append(path)
        fields += _schema_fields(schema, prop, path, seen)
    return fields


def test_every_id_in_an_api_request_has_a_row():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = (operation.get("requestBody") or {}).get("content", {})
            fields = {field for media in content.values() for field in _schema_fields(schema, media["schema"])}
            for field in sorted(fields):
                last = field.rsplit(".", 1)[-1].removesuffix("[]")
                if ID_FIELD.search(last) or last in USER_FIELDS:
                    key = ("api", path, method, field.removeprefix("[]."))
                    if key not in COVERED and key not in NOT_REFUSED:
                        missing.append(key)
    assert missing == [], "add a row to WRITES for these ids in API requests"


def _project_forms() -> list[type[BaseForm]]:
    from django import forms

    modules = ("accounts.", "casework.", "orders.", "risk.", "recording.", "protocol.")
    found, todo = [], [forms.Form]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith(modules):
                found.append(sub)
    return found


def test_every_id_in_a_form_has_a_row():
    import importlib
    import pkgutil

    for package in ("casework.forms", "orders.forms"):
        for info in pkgutil.iter_modules(importlib.import_module(package).__path__):
            importlib.import_module(f"{package}.{info.name}")
    for module in ("accounts.forms", "risk.webforms", "recording.forms", "protocol.forms"):
        importlib.import_module(module)
    missing = []
    for form in _project_forms():
        if form.__name__.startswith("_"):
            continue  # a base of forms: its fields are checked in theirs
        for name, field in form.base_fields.items():
            takes_id = isinstance(field, ModelChoiceField) or ID_FIELD.search(name) or (
                isinstance(field, TypedChoiceField | TypedMultipleChoiceField) and field.coerce is int
            )  # fmt: skip
            key = ("form", form.__name__, name)
            if takes_id and key not in COVERED and key not in NOT_REFUSED and key not in NOT_IDS:
                missing.append(key)
    assert missing == [], "add a row to WRITES for these ids in forms (NOT_IDS if they are not a record's id)"


# --- The services hold on their own -------------------------------------------------------------------------


def _service_calls():
    """(name, call(world, own kit, foreign kit) -> None): services that receive the case and a record, whose
    views look the record up in the case first; the service must refuse it by itself."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from casework.documents import document_request
    from casework.models import Case, Incident, Person
    from casework.services.cases import case_reassign
    from casework.services.evidence import evidence_upload
    from casework.services.incidents import IncidentInput
    from casework.services.people import IdentifierInput, person_identifier_add
    from orders import services as orders
    from orders.models import Condition, ProtectiveOrder, SuspectRoute
    from protocol.models import Handover
    from protocol.pack import CHARGING_PACK
    from recording.services import legacy_notice_record
    from risk.services import risk_assessment_start

    def case(k):
        return Case.objects.select_related("unit__force").get(pk=k.case)

    def incident():
        return IncidentInput(occurred_at=_now() - timedelta(days=1), channel="text")

    return {
        "evidence: incident": lambda u, o, f: evidence_upload(
            actor=u, case=case(o), upload=SimpleUploadedFile("a.txt", b"Words.\n"), description="Screenshot",
            incident=Incident.objects.get(pk=f.incident),
        ),
        "order: follows": lambda u, o, f: orders.order_consider(
            actor=u, case=case(o), order_type="spo", respondent_id=o.suspect, protected_ids=[o.victim],
            follows=ProtectiveOrder.objects.get(pk=f.order),
        ),
        "breach: the order": lambda u, o, f: orders.breach_record(
            actor=u, case=case(o), incident=incident(), order=ProtectiveOrder.objects.get(pk=f.order)
        ),
        "breach: the bail": lambda u, o, f: orders.breach_record(
            actor=u, case=case(o), incident=incident(), bail=SuspectRoute.objects.get(pk=f.route)
        ),
        "breach: condition": lambda u, o, f: orders.breach_record(
            actor=u, case=case(o), incident=incident(), order=ProtectiveOrder.objects.get(pk=o.order),
            condition=Condition.objects.get(pk=f.condition),
        ),
        "document: source": lambda u, o, f: document_request(
            actor=u, case=case(o), kind=CHARGING_PACK, source=Handover.objects.get(pk=f.handover)
        ),
        "contact detail: person": lambda u, o, f: person_identifier_add(
            actor=u, case=case(o), person=Person.objects.get(pk=f.victim),
            identifier=IdentifierInput(kind="phone", value="07700 900999"),
        ),
        "risk assessment: victim": lambda u, o, f: risk_assessment_start(
            actor=u, case=case(o), victim=Person.objects.get(pk=f.victim), kinds=["dash"]
        ),
        "earlier warning notice: recipient": lambda u, o, f: legacy_notice_record(
            actor=u, case=case(o), recipient=Person.objects.get(pk=f.suspect), notice_type="pin",
            issued_on=timezone.localdate() - timedelta(days=2000), issuing_force="West Midlands Police",
        ),
        "reassign: officer": lambda u, o, f: case_reassign(
            actor=u, case=case(o), expected_version=case(o).version, officer=u.__class__.objects.get(pk=f.oic),
            reason="Insider",
        ),
    }  # fmt: skip


# The field each service names in its refusal (non_field_errors: the refusal is of the whole request).
SERVICE_REFUSES = {
    "evidence: incident": "incident",
    "order: follows": "follows",
    "breach: the order": "order_id",
    "breach: the bail": "order_id",
    "breach: condition": "condition_id",
    "document: source": "non_field_errors",
    "contact detail: person": "person",
    "risk assessment: victim": "victim",
    "earlier warning notice: recipient": "recipient",
    "reassign: officer": "officer",
}


def _service_tries() -> list:
    params = []
    for name in sorted(_service_calls()):
        mine = [] if name == "reassign: officer" else [("officer", "own", "sibling")]  # hers to reassign
        for user, own, foreign in ACTORS["supervisors"] + mine:
            params.append(pytest.param(name, user, own, foreign, id=f"{name} [{user}]"))
    return params


@pytest.mark.parametrize(("name", "user", "own", "foreign"), _service_tries())
def test_the_service_refuses_a_record_of_another_case(world, db, name, user, own, foreign):
    from config.errors import Refusal

    call = _service_calls()[name]
    before = _state()
    with transaction.atomic():
        with pytest.raises(Refusal) as refused:
            call(world.users[user], KitView(world, own), KitView(world, foreign))
        after = _state()
        transaction.set_rollback(True)
    assert SERVICE_REFUSES[name] in refused.value.errors, refused.value.errors
    assert [n for n in before if before[n] != after[n]] == []
