"""An exclusion zone's address is a sealed detail: who sees it, who must state a reason, who never does;
and a zone at or near her address is warned of, kept only when chosen knowingly, and never printed in
the SPO application served on him."""

import subprocess
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.choices import AuditAction, Role
from accounts.models import AuditEntry
from accounts.tests.factories import UserFactory
from casework.choices import IdentifierKind, PartyRole
from casework.models import CaseDocument, PersonIdentifier
from casework.redaction import address_key
from casework.services.people import party_add, person_create
from casework.tests.factories import CaseFactory
from config.errors import InvalidInput
from orders import choices as c
from orders import services
from orders.tests.factories import ProtectiveOrderFactory, SuspectRouteFactory
from orders.zones import NEAR_WARNING, is_near, near_any

HER_ADDRESS = "17 Hiddenway Close, Harborne, Birmingham B17 9QX"
MARKERS = ("hiddenway", "b17 9qx", "b179qx")

SAME_PLACE = [
    "17 Hiddenway Close",
    "17 hiddenway cl",
    "17, Hiddenway Close, Harborne",
    "Flat 2, 17 Hiddenway Close",
    "17 HIDDENWAY",
    "17-19 Hiddenway Cl.",
    "B17 9QX",
    "b179qx",
    "Hiddenway Close",  # the whole street she lives on
    "The Old Forge, Harborne, B17 9AB",  # her postcode sector
]
FAR = ["Acme Ltd, 1 Broad Street, B1 2HF", "18 Hiddenway Road, B30 1AA", "Harborne ward", "2 Elm Road", "B18 7QX"]


@pytest.mark.parametrize("zone", SAME_PLACE)
def test_a_zone_at_or_near_her_address_is_near_however_it_is_spelled(zone):
    assert is_near(address_key(zone), address_key(HER_ADDRESS)) and near_any(zone, [HER_ADDRESS])


@pytest.mark.parametrize("zone", FAR)
def test_a_zone_elsewhere_is_not_near(zone):
    assert not near_any(zone, [HER_ADDRESS, "3 Mill Lane, Selly Oak"])


# --- The world: a victim with a sealed address, an interim SPO with a zone round it ------------------


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def victim(officer, case):
    person = person_create(actor=officer, first_name="Jane", last_name="Doe")
    party_add(actor=officer, case=case, person=person, role=PartyRole.VICTIM, relationship_to_suspect="ex_partner")
    PersonIdentifier.objects.create(
        person=person, kind=IdentifierKind.ADDRESS, value=HER_ADDRESS, normalised=HER_ADDRESS.lower(),
        sealed=True, case=case,
    )  # fmt: skip
    return person


@pytest.fixture
def suspect(officer, case):
    person = person_create(actor=officer, first_name="John", last_name="Stalker")
    party_add(actor=officer, case=case, person=person, role=PartyRole.SUSPECT)
    return person


@pytest.fixture
def order(case, victim, suspect):
    return ProtectiveOrderFactory(
        case=case, order_type=c.OrderType.INTERIM_SPO, status=c.OrderStatus.DRAFTED, respondent=suspect,
        protected_people=[victim], court="Birmingham Magistrates' Court",
        hearing_at=timezone.now() + timedelta(days=3),
        grounds_acts="Since January he has sent her hundreds of messages.",
        grounds_risk="He has threatened to find her new home.",
        grounds_necessity="Nothing else will protect her.",
    )  # fmt: skip


ZONE = {
    "kind": c.ConditionKind.EXCLUSION_ZONE,
    "rationale": "He waits outside her home",
    "zone_address": "17 hiddenway cl",
    "zone_radius_m": 200,
    "zone_area": "Harborne",
}


def _add(officer, order, victim, **changes):
    return services.condition_add(actor=officer, order=order, protected_ids=[victim.pk], **(ZONE | changes))


def test_a_zone_at_her_address_is_refused_until_chosen_knowingly_and_the_reason_is_audited(officer, order, victim):
    with pytest.raises(InvalidInput) as refused:
        _add(officer, order, victim)
    assert refused.value.errors["zone_address"][0].startswith(NEAR_WARNING)
    assert "named area" in refused.value.errors["zone_address"][0]
    assert not order.conditions.exists()
    zone = _add(officer, order, victim, zone_reason="She asked for her home to be named; she is moving next week")
    assert zone.wording == "Not to enter within 200 metres of the confidential address or the area of Harborne."
    assert zone.zone_address == "17 hiddenway cl"
    row = AuditEntry.objects.get(object_type="orders.condition", object_id=str(zone.pk), detail__contains="knowingly")
    assert row.actor == officer and "she is moving next week" in row.detail


def test_a_zone_elsewhere_needs_no_reason_and_its_address_stays_out_of_the_wording(officer, order, victim):
    zone = _add(officer, order, victim, zone_address="Acme Ltd, 1 Broad Street, B1 2HF", zone_area="")
    assert zone.wording == "Not to enter within 200 metres of the confidential address."
    with pytest.raises(InvalidInput) as refused:
        _add(
            officer,
            order,
            victim,
            zone_address="Acme Ltd, 1 Broad Street",
            wording="Not to go within 50 m of 1 Broad St.",
        )
    assert "Leave the zone's address out of the wording" in refused.value.errors["wording"][0]


# --- Who sees it ---------------------------------------------------------------------------------------


@pytest.fixture
def zone(officer, order, victim):
    return _add(officer, order, victim, zone_address="17 Hiddenway Close", zone_reason="Her choice, recorded")


@pytest.fixture
def colleague(unit):
    return UserFactory(username="colleague", role=Role.OFFICER, unit=unit)


def _seen_rows(user):
    return AuditEntry.objects.filter(
        action=AuditAction.CONSULT, actor=user, object_type="orders.condition", detail__contains="exclusion zone"
    )


def _page(client, user, case, order, data=None):
    client.force_login(user)
    url = reverse("orders:order-detail", args=[case.pk, order.pk])
    return client.post(url, data) if data is not None else client.get(url)


@pytest.mark.parametrize("who", ["officer", "supervisor"])
def test_the_officer_in_the_case_and_supervisors_see_it_each_time_audited(client, cast, case, order, zone, who):
    user = cast[who]
    page = _page(client, user, case, order).text
    assert "17 Hiddenway Close" in page and NEAR_WARNING in page and "Show the zone" not in page
    assert "the confidential address" in page
    (row,) = _seen_rows(user)
    assert "OIC/supervisor" in row.detail and case.reference in row.detail


@pytest.mark.parametrize("who", ["colleague", "registrar"])
def test_others_see_it_withheld_until_they_state_a_reason(client, cast, colleague, case, order, zone, who):
    user = colleague if who == "colleague" else cast["registrar"]
    page = _page(client, user, case, order).text
    assert "withheld" in page and "Show the zone's address" in page
    assert not any(marker in page.lower() for marker in MARKERS) and NEAR_WARNING not in page
    assert not _seen_rows(user).exists()
    empty = _page(client, user, case, order, {"reason": ""})
    assert empty.status_code == 400 and "govuk-error-summary" in empty.text
    assert "17 Hiddenway Close" not in empty.text
    shown = _page(client, user, case, order, {"reason": "Checking the zone before I patrol tonight"})
    assert shown.status_code == 200 and "17 Hiddenway Close" in shown.text
    (row,) = _seen_rows(user)
    assert ": Checking the zone before I patrol tonight" in row.detail
    zone.refresh_from_db()
    assert zone.zone_address == "17 Hiddenway Close"  # the reveal changed nothing


def test_the_lawyer_and_the_advocate_never_reach_it(client, cast, case, order, zone):
    for who in ("lawyer", "advocate", "stranger"):
        assert _page(client, cast[who], case, order).status_code == 404
        assert _page(client, cast[who], case, order, {"reason": "I need it"}).status_code == 404
        api = APIClient()
        api.force_login(cast[who])
        assert api.get(f"/api/v1/orders/{order.pk}/").status_code == 404
        assert api.get(f"/api/v1/cases/{case.pk}/orders/").status_code == 404
        assert not _seen_rows(cast[who]).exists()


def _api_zone(user, url, key="conditions"):
    api = APIClient()
    api.force_login(user)
    body = api.get(url).json()
    orders = body if isinstance(body, list) else [body]
    (cond,) = [x for o in orders for x in o[key] if x["kind"] == "exclusion_zone"]
    return cond


def test_the_api_gives_it_and_its_warning_only_to_those_who_may_see_it(cast, colleague, case, order, zone):
    for url in (f"/api/v1/orders/{order.pk}/", f"/api/v1/cases/{case.pk}/orders/"):
        mine = _api_zone(cast["officer"], url)
        assert (mine["zone_address"], mine["zone_warning"], mine["zone_address_withheld"]) == (
            "17 Hiddenway Close",
            NEAR_WARNING,
            False,
        )
        for other in (colleague, cast["registrar"]):
            theirs = _api_zone(other, url)
            assert (theirs["zone_address"], theirs["zone_warning"], theirs["zone_address_withheld"]) == (
                None,
                None,
                True,
            )
            assert not any(m in str(theirs).lower() for m in MARKERS)
    assert _seen_rows(cast["officer"]).count() == 2 and not _seen_rows(colleague).exists()


def test_the_api_refuses_a_zone_at_her_address_without_a_reason(cast, case, order, victim):
    api = APIClient()
    api.force_login(cast["officer"])
    url = f"/api/v1/orders/{order.pk}/conditions/"
    body = ZONE | {"protected_ids": [victim.pk], "zone_address": "17 HIDDENWAY CLOSE B179QX"}
    refused = api.post(url, body, format="json")
    assert refused.status_code == 400 and refused.json()["errors"]["zone_address"][0].startswith(NEAR_WARNING)
    created = api.post(url, body | {"zone_reason": "Chosen with her"}, format="json")
    assert created.status_code == 201 and created.json()["zone_warning"] == NEAR_WARNING
    assert "hiddenway" not in created.json()["wording"].lower()


# --- Served on him --------------------------------------------------------------------------------------


def test_the_spo_application_describes_the_zone_by_its_named_area_never_her_address(
    client, officer, case, order, victim, django_capture_on_commit_callbacks
):
    _add(officer, order, victim, zone_reason="She asked for it")
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("orders:order-application", args=[case.pk, order.pk])).status_code == 302
    document = CaseDocument.objects.get(case=case)
    assert document.status == "ready", document.error
    with document.file.open("rb") as handle:
        text = subprocess.run(["pdftotext", "-", "-"], input=handle.read(), capture_output=True, check=True).stdout
    text = " ".join(text.decode().split())
    assert "the area of Harborne" in text and "confidential address" in text
    assert not any(marker in text.lower() for marker in MARKERS)


def test_a_bail_zone_follows_the_same_rule_on_the_bail_page(client, cast, colleague, officer, case, victim, suspect):
    route = SuspectRouteFactory(case=case, suspect=suspect, bail=True)
    services.condition_add(
        actor=officer, bail=route, protected_ids=[victim.pk], zone_reason="Her choice", **(ZONE | {"zone_area": ""})
    )
    url = reverse("orders:route-detail", args=[case.pk, route.pk])
    client.force_login(officer)
    mine = client.get(url).text
    assert "17 hiddenway cl" in mine and NEAR_WARNING in mine and "Show the zone" not in mine
    client.force_login(colleague)
    theirs = client.get(url).text
    assert "withheld" in theirs and not any(m in theirs.lower() for m in MARKERS)
    assert client.post(url, {"reason": ""}).status_code == 400
    assert "17 hiddenway cl" in client.post(url, {"reason": "Briefing the night shift"}).text
    assert [r.detail.split(": ")[-1].split(" ids=")[0] for r in _seen_rows(colleague)] == ["Briefing the night shift"]
    for who in ("lawyer", "advocate", "stranger"):
        client.force_login(cast[who])
        assert client.get(url).status_code == 404


def test_the_migration_takes_the_address_out_of_older_wording(officer, order, victim):
    from importlib import import_module

    from django.apps import apps

    from orders.tests.factories import ConditionFactory

    old = ConditionFactory(
        order=order, kind=c.ConditionKind.EXCLUSION_ZONE, zone_address="17 Hiddenway Close", zone_radius_m=200,
        wording="Not to enter within 200 metres of 17 Hiddenway Cl, Harborne.", protected_people=[victim],
    )  # fmt: skip
    untouched = ConditionFactory(order=order, protected_people=[victim])
    import_module("orders.migrations.0003_zone_addresses_out_of_condition_wording").take_the_address_out(apps, None)
    old.refresh_from_db()
    untouched.refresh_from_db()
    assert old.wording == "Not to enter within 200 metres of the confidential address, Harborne."
    assert untouched.wording == "Not to contact the victim directly or indirectly."


def test_a_warned_attempt_leaves_a_trace_and_another_cases_sealed_address_never_answers(
    officer, stranger, case, order, victim, suspect
):
    with pytest.raises(InvalidInput):
        _add(officer, order, victim, zone_address="B17 9QX")
    (trace,) = AuditEntry.objects.filter(object_type="casework.case", object_id=str(case.pk), detail__contains="warned")
    assert trace.actor == officer and not order.conditions.exists()
    # Linked into the stranger's case, her address sealed in this case is not his to test guesses against.
    from orders.tests.factories import CasePartyFactory

    own = CaseFactory(unit=stranger.unit, officer=stranger)
    CasePartyFactory(case=own, person=victim, role=PartyRole.VICTIM)
    CasePartyFactory(case=own, person=suspect, role=PartyRole.SUSPECT)
    his = ProtectiveOrderFactory(case=own, respondent=suspect, protected_people=[victim])
    zone = _add(stranger, his, victim, zone_address="17 Hiddenway Close")
    assert zone.zone_address == "17 Hiddenway Close"
