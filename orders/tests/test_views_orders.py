"""The protection pages: the case's Protection tab with hints, proposals, breaches and notices; considering
an order; its conditions and the victim's view; its lifecycle; logging a breach and the substantive-offence
prompt; the letter to the victim; the panel on the case page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from casework.models import Case, Incident, VictimContact
from casework.services.people import party_add, person_create
from orders import services
from orders.models import Breach, BreachProposal, ProtectiveOrder, VictimNotice
from orders.views.orders import protection_panel_context

TODAY = timezone.localdate


@pytest.fixture
def victim(officer, case):
    person = person_create(actor=officer, first_name="Jane", last_name="Doe")
    party_add(actor=officer, case=case, person=person, role="victim", relationship_to_suspect="stranger")
    return person


@pytest.fixture
def suspect(officer, case):
    person = person_create(actor=officer, first_name="John", last_name="Smith")
    party_add(actor=officer, case=case, person=person, role="suspect")
    return person


@pytest.fixture
def stalking_case(case, victim, suspect):
    Case.objects.filter(pk=case.pk).update(is_stalking=True)
    case.refresh_from_db()
    return case


def _spo(officer, case, victim, suspect, *, consulted: bool = True) -> ProtectiveOrder:
    """An SPO with its grounds and one no-contact condition, at "considered"."""
    order = services.order_consider(
        actor=officer, case=case, order_type="spo", respondent_id=suspect.pk, protected_ids=[victim.pk],
        court="Birmingham Magistrates' Court", applicant="Chief Constable",
    )  # fmt: skip
    order = services.order_update_details(
        actor=officer, order=order, expected_version=order.version, court=order.court, applicant=order.applicant,
        grounds_acts="Daily messages since March", grounds_risk="Fixated; turned up at her work",
        grounds_necessity="Bail conditions end at charge", hearing_at=None,
    )  # fmt: skip
    view = {"consultation": "supports", "consulted_on": TODAY(), "victim_view": "I want it to stop"}
    services.condition_add(
        actor=officer, order=order, kind="no_contact", rationale="He messages her every day",
        protected_ids=[victim.pk], **(view if consulted else {}),
    )  # fmt: skip
    return order


def _in_force(officer, order: ProtectiveOrder) -> ProtectiveOrder:
    for action, extra in (("draft", {}), ("apply", {}), ("grant", {"until_further_order": True}), ("serve", {})):
        order = services.order_transition(
            actor=officer, order=order, action=action, expected_version=order.version, **extra
        )
    return order


def _url(name: str, *args) -> str:
    return reverse(f"orders:{name}", args=args)


# --- The Protection tab ------------------------------------------------------------------------------------


def test_it_shows_the_protection_tab_with_hints_and_audits_the_read(client, officer, stalking_case):
    client.force_login(officer)
    response = client.get(_url("case-protection", stalking_case.pk))
    assert response.status_code == 200
    body = response.text
    assert "Interim Stalking Protection Order" in body and "Stalking Protection Act 2019" in body
    assert f"{_url('order-create', stalking_case.pk)}?order_type=interim_spo" in body
    assert "Consider an order" in body and "John Smith" in body and "Jane Doe (victim)" in body
    assert AuditEntry.objects.filter(
        action="consult", object_id=str(stalking_case.pk), detail__contains="protective orders"
    ).exists()


def test_the_stranger_gets_404_and_the_registrar_may_only_look(client, officer, stranger, registrar, stalking_case,
                                                                victim, suspect):  # fmt: skip
    order = _in_force(officer, _spo(officer, stalking_case, victim, suspect))
    notice = VictimNotice.objects.get(order=order, event="granted")
    client.force_login(stranger)
    assert client.get(_url("case-protection", stalking_case.pk)).status_code == 404
    assert client.get(_url("order-detail", stalking_case.pk, order.pk)).status_code == 404
    assert client.get(_url("notice-detail", stalking_case.pk, notice.pk)).status_code == 404
    client.force_login(registrar)
    page = client.get(_url("order-detail", stalking_case.pk, order.pk))
    assert page.status_code == 200 and "Record a variation" not in page.text
    letter = client.get(_url("notice-detail", stalking_case.pk, notice.pk))
    assert (
        letter.status_code == 200 and "Dear Jane Doe" in letter.text and "Record that she was told" not in letter.text
    )
    assert client.post(_url("order-transition", stalking_case.pk, order.pk), {"action": "vary"}).status_code == 404


def test_it_considers_an_order_from_a_hint(client, officer, stalking_case, victim, suspect):
    client.force_login(officer)
    create_url = _url("order-create", stalking_case.pk)
    page = client.get(f"{create_url}?order_type=interim_spo")
    assert page.status_code == 200 and '<option value="interim_spo" selected>' in page.text
    refused = client.post(create_url, {"order_type": "interim_spo", "respondent": suspect.pk})
    assert refused.status_code == 400 and "Choose at least one person the order protects" in refused.text
    response = client.post(
        create_url, {"order_type": "interim_spo", "respondent": suspect.pk, "protected": [victim.pk], "court": "Bham"}
    )
    order = ProtectiveOrder.objects.get(case=stalking_case)
    assert response.status_code == 302 and response.url == _url("order-detail", stalking_case.pk, order.pk)
    detail = client.get(response.url)
    assert "Interim Stalking Protection Order" in detail.text and "considered" in detail.text
    # The three limbs of s.1 for an SPO.
    assert "Acts associated with stalking he has carried out" in detail.text
    assert "Why the order is necessary to protect her from that risk" in detail.text
    assert AuditEntry.objects.filter(action="consult", object_id=str(order.pk), detail__contains="order").exists()


def test_other_orders_take_their_grounds_in_one_box(client, officer, stalking_case, victim, suspect):
    order = services.order_consider(
        actor=officer, case=stalking_case, order_type="restraining_conviction", respondent_id=suspect.pk,
        protected_ids=[victim.pk],
    )  # fmt: skip
    client.force_login(officer)
    url = _url("order-detail", stalking_case.pk, order.pk)
    assert "Acts associated with stalking he has carried out" not in client.get(url).text
    saved = client.post(url, {"version": order.version, "court": "Crown Court", "grounds_acts": "Convicted of s.2A"})
    assert saved.status_code == 302
    order.refresh_from_db()
    assert order.court == "Crown Court" and order.grounds_acts == "Convicted of s.2A" and order.version == 2


def test_it_adds_conditions_with_the_reason_and_the_victims_view(client, officer, stalking_case, victim, suspect):
    order = services.order_consider(
        actor=officer, case=stalking_case, order_type="spo", respondent_id=suspect.pk, protected_ids=[victim.pk]
    )
    client.force_login(officer)
    add_url = _url("condition-add", stalking_case.pk, order.pk)
    form = client.get(add_url)
    assert form.status_code == 200 and "Not to contact the protected person directly or indirectly" in form.text
    no_contact = {
        "kind": "no_contact", "protected": [victim.pk], "rationale": "He messages her every day",
        "consultation": "supports", "consulted_on": TODAY(), "victim_view": "I want the messages to stop",
    }  # fmt: skip
    assert client.post(add_url, no_contact).status_code == 302
    zone = {
        "kind": "exclusion_zone", "protected": [victim.pk], "rationale": "He waits outside her flat",
        "zone_radius_m": 200, "consultation": "wants_changes", "consulted_on": TODAY(),
        "victim_view": "Include my mother's road",
    }  # fmt: skip
    refused = client.post(add_url, zone)
    assert refused.status_code == 400 and "Give the address (with a radius)" in refused.text
    response = client.post(add_url, zone | {"zone_address": "12 Elm Road, B17", "zone_places": ["victim_home"]})
    assert response.status_code == 302
    conditions = list(order.conditions.order_by("id"))
    assert [cond.kind for cond in conditions] == ["no_contact", "exclusion_zone"]
    assert conditions[1].zone_places == ["victim_home"] and conditions[1].wording == (
        "Not to enter within 200 metres of the confidential address."
    )
    page = client.get(_url("order-detail", stalking_case.pk, order.pk)).text
    assert "Not to contact Jane Doe directly or indirectly" in page
    assert "I want the messages to stop" in page and "Include my mother&#x27;s road" in page
    assert "Contact by in person, phone call, text message" in page
    assert "Being at the victim&#x27;s home (in person, damage to property, loitering, following or watching); " in page
    assert "zone: within 200 m of 12 Elm Road, B17" in page


def test_it_records_the_victims_view_on_a_condition(client, officer, stalking_case, victim, suspect):
    order = _spo(officer, stalking_case, victim, suspect, consulted=False)
    condition = order.conditions.get()
    client.force_login(officer)
    url = _url("condition-consultation", stalking_case.pk, order.pk, condition.pk)
    prefix = f"condition-{condition.pk}"
    refused = client.post(url, {f"{prefix}-consultation": "opposes", f"{prefix}-consulted_on": TODAY()})
    assert refused.status_code == 400 and "Record what the victim said" in refused.text
    response = client.post(
        url, {f"{prefix}-consultation": "opposes", f"{prefix}-consulted_on": TODAY(), f"{prefix}-victim_view": "No"}
    )
    assert response.status_code == 302 and response.url.endswith(f"#condition-{condition.pk}")
    condition.refresh_from_db()
    assert condition.consultation == "opposes" and condition.victim_view == "No"


# --- The lifecycle -------------------------------------------------------------------------------------------


def _transition(client, case, order, action: str, **fields):
    data = {"action": action, f"{action}-version": order.version, f"{action}-on": TODAY()}
    data |= {f"{action}-{name}": value for name, value in fields.items()}
    return client.post(_url("order-transition", case.pk, order.pk), data)


def test_it_refuses_to_apply_before_the_victim_is_consulted(client, officer, stalking_case, victim, suspect):
    order = _spo(officer, stalking_case, victim, suspect, consulted=False)
    client.force_login(officer)
    assert _transition(client, stalking_case, order, "draft").status_code == 302
    order.refresh_from_db()
    page = client.get(_url("order-detail", stalking_case.pk, order.pk)).text
    assert "Record the application" in page and "Hearing date and time" in page
    refused = _transition(client, stalking_case, order, "apply")
    assert refused.status_code == 400
    assert "There is a problem" in refused.text and "Ask the victim about condition 1 first" in refused.text
    order.refresh_from_db()
    assert order.status == "drafted"


def test_it_records_the_grant_and_service(client, officer, stalking_case, victim, suspect):
    order = _spo(officer, stalking_case, victim, suspect)
    client.force_login(officer)
    for action in ("draft", "apply"):
        assert _transition(client, stalking_case, order, action).status_code == 302
        order.refresh_from_db()
    short = _transition(client, stalking_case, order, "grant", duration_value=1, duration_unit="years")
    assert short.status_code == 400 and "lasts at least 2 years" in short.text
    granted = _transition(client, stalking_case, order, "grant", until_further_order="on")
    assert granted.status_code == 302
    order.refresh_from_db()
    assert order.status == "granted" and order.until_further_order
    assert _transition(client, stalking_case, order, "serve").status_code == 302
    order.refresh_from_db()
    assert order.status == "in_force" and order.notification_due_on is not None
    page = client.get(_url("order-detail", stalking_case.pk, order.pk)).text
    assert "Until further order" in page and "He must notify name and address" in page
    assert "Log a breach of this order" in page and "Record a variation" in page
    tab = client.get(_url("case-protection", stalking_case.pk)).text
    assert "Order granted" in tab and "Order served" in tab and "Until further order" in tab
    notified = client.post(_url("order-notified", stalking_case.pk, order.pk), {"on": TODAY()})
    assert notified.status_code == 302
    order.refresh_from_db()
    assert order.respondent_notified_on == TODAY()


def test_a_stale_page_gets_409_and_the_order_as_it_is_now(client, officer, stalking_case, victim, suspect):
    order = _spo(officer, stalking_case, victim, suspect)
    client.force_login(officer)
    stale = order.version
    assert _transition(client, stalking_case, order, "draft").status_code == 302
    order.version = stale
    response = _transition(client, stalking_case, order, "not_pursue", reason="Victim moved away")
    assert response.status_code == 409
    assert "Someone else changed this order" in response.text and "The order is now drafted" in response.text
    order.refresh_from_db()
    assert order.status == "drafted"
    assert f'name="not_pursue-version" value="{order.version}"' in response.text


# --- Breaches and proposals ----------------------------------------------------------------------------------


def test_it_logs_a_breach_and_prompts_for_the_substantive_offence(client, officer, stalking_case, victim, suspect):
    order = _in_force(officer, _spo(officer, stalking_case, victim, suspect))
    condition = order.conditions.get()
    client.force_login(officer)
    url = _url("breach-create", stalking_case.pk, order.pk)
    form = client.get(f"{url}?condition={condition.pk}")
    assert form.status_code == 200 and f'<option value="{condition.pk}" selected>' in form.text
    when = timezone.localtime().replace(second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url, {"condition": condition.pk, "occurred_at": when, "victim": victim.pk, "channel": "text", "count": 3,
              "narrative": "Three texts asking to meet"},
    )  # fmt: skip
    breach = Breach.objects.get(order=order)
    protection = _url("case-protection", stalking_case.pk)
    assert response.status_code == 302 and response.url == f"{protection}#breach-{breach.pk}"
    assert breach.condition == condition and breach.incident.count == 3 and breach.incident.victim == victim
    page = client.get(protection).text
    assert "Consider the substantive offence: is this also further stalking or harassment?" in page
    assert page.index("Consider the substantive offence") < page.index("Orders to consider")
    decide = _url("breach-substantive", stalking_case.pk, breach.pk)
    refused = client.post(decide, {f"breach-{breach.pk}-substantive_decision": "breach_only"})
    assert refused.status_code == 400 and "Say why the conduct is not a further stalking" in refused.text
    decided = client.post(decide, {f"breach-{breach.pk}-substantive_decision": "further_offence"})
    assert decided.status_code == 302
    breach.refresh_from_db()
    assert breach.substantive_decision == "further_offence"
    assert "Consider the substantive offence" not in client.get(protection).text


def test_a_breach_outside_the_order_is_refused_on_the_form(client, officer, stalking_case, victim, suspect):
    order = _spo(officer, stalking_case, victim, suspect)
    client.force_login(officer)
    response = client.post(
        _url("breach-create", stalking_case.pk, order.pk),
        {"occurred_at": "2026-01-01T10:00", "channel": "text", "count": 1},
    )
    assert response.status_code == 400 and "never in force" in response.text
    assert not Incident.objects.filter(case=stalking_case).exists()


def _proposals(officer, case, victim, order, count: int = 2) -> list[BreachProposal]:
    numbered = Incident.objects.filter(case=case).count()
    for n in range(count):
        Incident.objects.create(
            case=case, victim=victim, channel="text", occurred_at=timezone.now() - timezone.timedelta(minutes=n + 1),
            reported_at=timezone.now(), narrative=f"Message {n}", created_by=officer, number=numbered + n + 1,
        )  # fmt: skip
    services.breach_proposals_refresh(case.pk)
    return list(BreachProposal.objects.filter(case=case).order_by("id"))


def test_it_confirms_and_rejects_breach_proposals(client, officer, stalking_case, victim, suspect):
    order = _in_force(officer, _spo(officer, stalking_case, victim, suspect))
    first, second = _proposals(officer, stalking_case, victim, order)
    client.force_login(officer)
    page = client.get(_url("case-protection", stalking_case.pk)).text
    assert "Possible breaches to check" in page and "contact by text message" in page and "Message 0" in page
    reject = _url("proposal-reject", stalking_case.pk, second.pk)
    refused = client.post(reject, {f"proposal-{second.pk}-rejection_reason": ""})
    assert refused.status_code == 400 and "Say why this is not a breach" in refused.text
    assert (
        client.post(reject, {f"proposal-{second.pk}-rejection_reason": "Her reply to a text she sent"}).status_code
        == 302
    )
    confirmed = client.post(_url("proposal-confirm", stalking_case.pk, first.pk))
    breach = Breach.objects.get(incident=first.incident)
    assert confirmed.status_code == 302 and confirmed.url.endswith(f"#breach-{breach.pk}")
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status) == ("confirmed", "rejected")
    again = client.post(_url("proposal-confirm", stalking_case.pk, first.pk))
    assert again.status_code == 409 and "already confirmed as a breach" in again.text


# --- Telling the victim --------------------------------------------------------------------------------------


def test_the_letter_names_the_victim_and_the_conditions_and_she_is_recorded_as_told(
    client, officer, stalking_case, victim, suspect
):
    order = _in_force(officer, _spo(officer, stalking_case, victim, suspect))
    notice = VictimNotice.objects.get(order=order, event="served")
    client.force_login(officer)
    url = _url("notice-detail", stalking_case.pk, notice.pk)
    page = client.get(url)
    assert page.status_code == 200
    assert "Dear Jane Doe" in page.text and "Not to contact Jane Doe directly or indirectly" in page.text
    assert AuditEntry.objects.filter(action="consult", object_id=str(notice.pk), detail__contains="letter").exists()
    refused = client.post(url, {"letter": "Dear Jane", "informed_at": "", "method": ""})
    assert refused.status_code == 400 and "Say how she was told" in refused.text
    when = timezone.localtime().replace(second=0, microsecond=0) - timezone.timedelta(minutes=5)
    response = client.post(url, {"letter": "Dear Jane, it was served.", "informed_at": when.strftime("%Y-%m-%dT%H:%M"),
                                 "method": "phone"})  # fmt: skip
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.informed_by == officer and notice.method == "phone" and notice.letter == "Dear Jane, it was served."
    assert VictimContact.objects.filter(case=stalking_case, victim=victim, method="phone").exists()
    kept = client.get(url).text
    assert "What she was sent" in kept and "Dear Jane, it was served." in kept


# --- Query counts and the case page panel --------------------------------------------------------------------


def _busy_case(officer, case, victim, suspect, orders: int) -> None:
    for _ in range(orders):
        order = _in_force(officer, _spo(officer, case, victim, suspect))
        services.condition_add(actor=officer, order=order, kind="no_following", rationale="He follows her",
                               protected_ids=[victim.pk])  # fmt: skip
    _proposals(officer, case, victim, order, count=orders)
    one_per_incident = {}
    for p in BreachProposal.objects.filter(case=case, incident__breach__isnull=True).order_by("id"):
        one_per_incident.setdefault(p.incident_id, p)
    Breach.objects.bulk_create(
        [Breach(case=case, incident_id=p.incident_id, order=order, condition_id=p.condition_id, recorded_by=officer)
         for p in list(one_per_incident.values())[: orders // 2]]
    )  # fmt: skip


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_protection_page_reads_a_fixed_number_of_queries(
    client, officer, stalking_case, victim, suspect, django_assert_max_num_queries
):
    client.force_login(officer)
    url = _url("case-protection", stalking_case.pk)
    _busy_case(officer, stalking_case, victim, suspect, orders=2)
    few = _queries(client, url)
    _busy_case(officer, stalking_case, victim, suspect, orders=8)
    assert _queries(client, url) == few
    with django_assert_max_num_queries(30):
        client.get(url)


def test_the_case_page_shows_the_protection_panel(client, officer, stalking_case, victim, suspect):
    order = _in_force(officer, _spo(officer, stalking_case, victim, suspect))
    _proposals(officer, stalking_case, victim, order, count=1)
    client.force_login(officer)
    page = client.get(reverse("casework:case-detail", args=[stalking_case.pk])).text
    assert 'id="protection-panel-title"' in page and "Stalking Protection Order: until further order" in page
    assert "2 notices to give" in page and _url("case-protection", stalking_case.pk) in page
    with CaptureQueriesContext(connection) as captured:
        context = protection_panel_context(officer, stalking_case)
    assert len(captured) == 4 and context["protection_proposals"] == 1
