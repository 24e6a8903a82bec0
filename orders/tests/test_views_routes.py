"""The "Bail and warrants" pages: the route to court with the supervisor's review, bail, s.2B warrants.

The rules themselves are tested at the service level; these tests drive them through the web pages."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from casework.models import Evidence
from casework.services.people import party_add, person_create
from casework.tests.factories import CaseFactory
from orders import services
from orders.models import BailExtension, Condition, SearchWarrant, SuspectRoute
from risk.models import RiskAssessment


@pytest.fixture
def suspect(officer, case):
    person = person_create(actor=officer, first_name="Mark", last_name="Rowe")
    party_add(actor=officer, case=case, person=person, role="suspect")
    return person


@pytest.fixture
def victim(officer, case):
    person = person_create(actor=officer, first_name="Jane", last_name="Doe")
    party_add(actor=officer, case=case, person=person, role="victim")
    return person


@pytest.fixture
def high_risk_stalking(officer, case, victim):
    case.is_stalking = True
    case.save(update_fields=["is_stalking"])
    RiskAssessment.objects.create(
        case=case, victim=victim, assessor=officer, status="completed", grade="high", completed_at=timezone.now()
    )
    return case


def page_url(case) -> str:
    return reverse("orders:case-routes", args=[case.pk])


def route_post(client, case, suspect, route: str, **fields):
    data = {"route-suspect_id": suspect.pk, "route-route": route, "route-occurred_on": timezone.localdate()}
    data |= {f"route-{name}": value for name, value in fields.items()}
    return client.post(reverse("orders:route-create", args=[case.pk]), data)


def bail_route(officer, case, suspect, **kwargs) -> SuspectRoute:
    today = timezone.localdate()
    return services.route_record(
        actor=officer, case=case, suspect_id=suspect.pk, route="pre_charge_bail", occurred_on=today,
        bail_end=today + timedelta(days=28), bail_authority="custody_officer", **kwargs,
    )  # fmt: skip


def test_it_refuses_a_voluntary_interview_without_a_reason_in_a_high_risk_stalking_case(
    client, officer, supervisor, suspect, high_risk_stalking
):
    case = high_risk_stalking
    client.force_login(officer)
    page = client.get(page_url(case))
    assert "These routes leave the victim without bail conditions and need your reason" in page.text

    refused = route_post(client, case, suspect, "voluntary_interview")
    assert refused.status_code == 400
    assert "There is a problem" in refused.text
    assert "Voluntary interview leaves the victim without bail conditions" in refused.text
    assert not SuspectRoute.objects.exists()

    accepted = route_post(client, case, suspect, "voluntary_interview", unprotected_reason="He attended at once.")
    assert accepted.status_code == 302
    route = SuspectRoute.objects.get()
    assert route.needs_review and route.unprotected_reason == "He attended at once."
    officer_page = client.get(page_url(case))
    assert "Awaiting supervisor review" in officer_page.text and "Awaiting your review" not in officer_page.text

    review_url = reverse("orders:route-review", args=[case.pk, route.pk])
    assert client.post(review_url, {f"review-{route.pk}-review_note": "Agreed"}).status_code == 404

    client.force_login(supervisor)
    supervisor_page = client.get(page_url(case))
    assert "Awaiting your review" in supervisor_page.text and "He attended at once." in supervisor_page.text
    assert client.post(review_url, {f"review-{route.pk}-review_note": " "}).status_code == 400
    agreed = {f"review-{route.pk}-review_note": "Agreed: arrest if he calls her"}
    assert client.post(review_url, agreed).status_code == 302
    route.refresh_from_db()
    assert route.reviewed_by == supervisor and route.review_note == "Agreed: arrest if he calls her"
    reviewed = client.get(page_url(case))
    assert "Awaiting supervisor review" not in reviewed.text and "Agreed: arrest if he calls her" in reviewed.text


def test_a_low_risk_case_without_stalking_needs_no_reason(client, officer, case, suspect):
    client.force_login(officer)
    assert "need your reason" not in client.get(page_url(case)).text
    assert route_post(client, case, suspect, "rui").status_code == 302
    assert not SuspectRoute.objects.get().needs_review


def test_it_refuses_pre_charge_bail_beyond_what_a_custody_officer_may_give(client, officer, case, suspect):
    client.force_login(officer)
    today = timezone.localdate()
    refused = route_post(
        client, case, suspect, "pre_charge_bail",
        pre_charge_bail_end=today + timedelta(days=120), pre_charge_bail_authority="custody_officer",
    )  # fmt: skip
    assert refused.status_code == 400
    assert "A custody officer may bail to" in refused.text and 'href="#id_route-pre_charge_bail_end"' in refused.text
    assert not SuspectRoute.objects.exists()

    accepted = route_post(
        client, case, suspect, "pre_charge_bail",
        pre_charge_bail_end=today + timedelta(days=28), pre_charge_bail_authority="custody_officer",
    )  # fmt: skip
    assert accepted.status_code == 302
    route = SuspectRoute.objects.get()
    assert route.bail_end == today + timedelta(days=28) and route.bail_authority == "custody_officer"
    assert "Current" in client.get(page_url(case)).text


def test_bail_is_extended_conditioned_and_ended_on_its_page(client, officer, case, suspect, victim):
    route = bail_route(officer, case, suspect)
    client.force_login(officer)
    detail_url = reverse("orders:route-detail", args=[case.pk, route.pk])
    detail = client.get(detail_url)
    assert detail.status_code == 200 and "Extend bail" in detail.text and "Not to contact the victim" in detail.text
    today = timezone.localdate()

    extend_url = reverse("orders:bail-extend", args=[case.pk, route.pk])
    too_far = {"extend-new_end": today + timedelta(days=200), "extend-authority": "inspector",
               "extend-authorised_on": today}  # fmt: skip
    refused = client.post(extend_url, too_far)
    assert refused.status_code == 400 and "An inspector may bail to" in refused.text
    assert client.post(extend_url, too_far | {"extend-new_end": today + timedelta(days=90)}).status_code == 302
    assert BailExtension.objects.get().new_end == today + timedelta(days=90)

    condition_url = reverse("orders:bail-condition-add", args=[case.pk, route.pk])
    no_zone = {
        "condition-kind": "exclusion_zone",
        "condition-protected_ids": [victim.pk],
        "condition-rationale": "He waits outside her flat",
        "condition-consultation": "not_consulted",
    }
    refused = client.post(condition_url, no_zone)
    assert refused.status_code == 400 and "Give the address (with a radius)" in refused.text
    assert client.post(condition_url, no_zone | {"condition-zone_area": "Harborne ward"}).status_code == 302
    assert Condition.objects.get(bail=route).wording == "Not to enter the area of Harborne ward."

    end_url = reverse("orders:bail-end", args=[case.pk, route.pk])
    assert client.post(end_url, {"end-ended_on": today, "end-reason": ""}).status_code == 400
    assert client.post(end_url, {"end-ended_on": today, "end-reason": "Charged and remanded"}).status_code == 302
    ended = client.get(detail_url)
    assert "Extend bail" not in ended.text and "Harborne ward" in ended.text
    assert client.post(extend_url, too_far | {"extend-new_end": today + timedelta(days=100)}).status_code == 409


def test_a_warrant_is_applied_for_granted_and_executed_with_the_exhibits_seized(client, officer, case):
    client.force_login(officer)
    apply_url = reverse("orders:warrant-apply", args=[case.pk])
    application = {
        "warrant-premises": "12 Elm Road",
        "warrant-grounds": "s.2A; his phone and laptop",
        "warrant-applied_on": timezone.localdate(),
        "warrant-court": "Birmingham Magistrates' Court",
    }
    refused = client.post(apply_url, application)
    assert refused.status_code == 400 and "flag the case as stalking first" in refused.text
    case.is_stalking = True
    case.save(update_fields=["is_stalking"])
    assert client.post(apply_url, application).status_code == 302
    warrant = SearchWarrant.objects.get()

    decide_url = reverse("orders:warrant-decide", args=[case.pk, warrant.pk])
    prefix = f"warrant-{warrant.pk}"
    refused = client.post(decide_url, {f"{prefix}-granted": "no", f"{prefix}-decided_on": timezone.localdate()})
    assert refused.status_code == 400 and "Record why it was refused" in refused.text
    granted = client.post(decide_url, {f"{prefix}-granted": "yes", f"{prefix}-decided_on": timezone.localdate()})
    assert granted.status_code == 302
    assert "Record the execution of the warrant for 12 Elm Road" in client.get(page_url(case)).text

    phone = Evidence.objects.create(
        case=case, exhibit_reference="PS/7", description="iPhone", file="evidence/x.bin", original_name="x.bin",
        content_type="application/octet-stream", size=1, sha256="0" * 64, uploaded_by=officer,
    )  # fmt: skip
    other = Evidence.objects.create(
        case=CaseFactory(unit=case.unit), exhibit_reference="PS/8", description="Not ours", file="evidence/y.bin",
        original_name="y.bin", content_type="application/octet-stream", size=1, sha256="1" * 64, uploaded_by=officer,
    )  # fmt: skip
    execute_url = reverse("orders:warrant-execute", args=[case.pk, warrant.pk])
    execution = {f"{prefix}-executed_on": timezone.localdate(), f"{prefix}-officers": "PC Shah, PC Lee",
                 f"{prefix}-seized": "iPhone 13", f"{prefix}-evidence_ids": [phone.pk, other.pk]}  # fmt: skip
    assert client.post(execute_url, execution).status_code == 400  # another case's exhibit is not a choice
    assert client.post(execute_url, execution | {f"{prefix}-evidence_ids": [phone.pk]}).status_code == 302
    warrant.refresh_from_db()
    assert warrant.status == "executed" and list(warrant.seized_evidence.all()) == [phone]
    register = client.get(page_url(case)).text
    assert reverse("casework:evidence-detail", args=[case.pk, phone.pk]) in register and "PC Shah, PC Lee" in register


def test_reads_are_audited(client, officer, case, suspect):
    route = bail_route(officer, case, suspect)
    client.force_login(officer)
    client.get(page_url(case))
    client.get(reverse("orders:route-detail", args=[case.pk, route.pk]))
    consulted = AuditEntry.objects.filter(action="consult", actor=officer)
    assert consulted.filter(object_type="casework.case", object_id=str(case.pk)).exists()
    assert consulted.filter(object_type="orders.suspectroute", object_id=str(route.pk)).exists()


def test_the_stranger_and_another_cases_route_get_404(client, officer, stranger, case, suspect):
    route = bail_route(officer, case, suspect)
    other_case = CaseFactory(unit=case.unit, officer=officer)
    client.force_login(stranger)
    assert client.get(page_url(case)).status_code == 404
    assert client.get(reverse("orders:route-detail", args=[case.pk, route.pk])).status_code == 404
    client.force_login(officer)
    assert client.get(reverse("orders:route-detail", args=[other_case.pk, route.pk])).status_code == 404


def test_the_page_makes_as_many_queries_for_ten_routes_and_warrants_as_for_one(
    client, officer, supervisor, suspect, victim, high_risk_stalking
):
    case = high_risk_stalking
    today = timezone.localdate()

    def add_one():
        route = bail_route(officer, case, suspect)
        services.bail_extend(
            actor=officer, route=route, new_end=today + timedelta(days=60), authority="inspector", authorised_on=today
        )
        services.condition_add(actor=officer, bail=route, kind="no_contact", rationale="r", protected_ids=[victim.pk])
        services.route_record(actor=officer, case=case, suspect_id=suspect.pk, route="rui", occurred_on=today,
                              unprotected_reason="Enquiries")  # fmt: skip
        warrant = services.warrant_apply(actor=officer, case=case, premises="1 A St", grounds="g", applied_on=today,
                                         court="C")  # fmt: skip
        services.warrant_decide(actor=officer, warrant=warrant, granted=True, decided_on=today)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(page_url(case)).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(supervisor)
    add_one()
    one = queries()
    for _ in range(9):
        add_one()
    assert queries() == one


def test_a_bail_route_needs_its_bail_fields_and_only_its_own(client, officer, case, suspect):
    client.force_login(officer)
    refused = route_post(client, case, suspect, "charged_bailed", pre_charge_bail_end=timezone.localdate())
    assert refused.status_code == 400
    assert "Give the date he must appear at court" in refused.text and "Say who bailed him" in refused.text
    assert "Give the date bail ends" not in refused.text


def test_it_logs_a_breach_of_bail_from_the_bail_page(client, officer, case, suspect, victim):
    route = bail_route(officer, case, suspect)
    condition = services.condition_add(
        actor=officer, bail=route, kind="no_contact", rationale="He texts her daily", protected_ids=[victim.pk]
    )
    client.force_login(officer)
    detail = client.get(reverse("orders:route-detail", args=[case.pk, route.pk]))
    url = reverse("orders:bail-breach-create", args=[case.pk, route.pk])
    assert "No breach recorded." in detail.text and url in detail.text
    form = client.get(url)
    assert form.status_code == 200 and "Log a breach of bail conditions" in form.text
    when = timezone.localtime().replace(second=0, microsecond=0)
    too_early = (when - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    refused = client.post(url, {"condition": condition.pk, "occurred_at": too_early, "channel": "text", "count": 1})
    assert refused.status_code == 400 and "this is outside it" in refused.text
    assert not route.breaches.exists()

    logged = client.post(
        url, {"condition": condition.pk, "occurred_at": when.strftime("%Y-%m-%dT%H:%M"), "victim": victim.pk,
              "channel": "text", "count": 2, "narrative": "Two texts"},
    )  # fmt: skip
    breach = route.breaches.get()
    assert logged.status_code == 302 and logged.url.endswith(f"#breach-{breach.pk}")
    assert breach.condition == condition and breach.incident.count == 2 and breach.order is None
    assert "Not yet considered" in client.get(reverse("orders:route-detail", args=[case.pk, route.pk])).text
