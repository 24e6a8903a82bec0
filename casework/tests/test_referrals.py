"""Referring the victim to support or specialist services: the service, the victim contact page, and the
alert that she has not been referred."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from casework import alerts
from casework.alert_checks import CHECKS
from casework.choices import AlertKind, PartyRole, TimelineKind
from casework.models import Alert, CaseParty, SupportReferral, TimelineEvent
from casework.services.referrals import support_referral_record
from casework.tests.factories import CaseFactory, PersonFactory
from config.errors import InvalidInput

LONDON = ZoneInfo("Europe/London")
CHECK = next(check for check in CHECKS if check.kind == AlertKind.VICTIM_NOT_REFERRED)


def _party(case, role=PartyRole.VICTIM):
    return CaseParty.objects.create(case=case, person=PersonFactory(first_name="Jane", last_name="Doe"), role=role)


@pytest.fixture
def victim(case):
    return _party(case).person


def refer(officer, case, victim, **changes):
    inputs = {"service": "stalking_advocate", "outcome": "referred", "referred_on": timezone.localdate(), "note": ""}
    return support_referral_record(actor=officer, case=case, victim_id=victim.pk, **(inputs | changes))


# --- The service --------------------------------------------------------------------------------------


def test_it_records_a_referral_on_the_timeline_and_in_the_audit_trail(officer, case, victim):
    referral = refer(officer, case, victim)
    assert referral.recorded_by == officer and referral.victim == victim
    event = TimelineEvent.objects.get(case=case, kind=TimelineKind.CONTACT)
    assert event.summary == "Referred to Independent stalking advocate (ISAC)" and event.person_id == victim.pk
    assert AuditEntry.objects.filter(object_type="casework.supportreferral", action="collect").exists()


def test_a_declined_referral_needs_a_note_and_says_so_on_the_timeline(officer, case, victim):
    with pytest.raises(InvalidInput) as refused:
        refer(officer, case, victim, outcome="declined", service="idva")
    assert "note" in refused.value.errors
    refer(officer, case, victim, outcome="declined", service="idva", note="She has an IDVA through her GP already")
    assert TimelineEvent.objects.get(case=case, kind=TimelineKind.CONTACT).summary == (
        "Declined referral to Independent domestic violence adviser (IDVA)"
    )


def test_an_earlier_referral_is_placed_at_the_start_of_its_day(officer, case, victim):
    day = timezone.localdate() - timedelta(days=3)
    refer(officer, case, victim, referred_on=day)
    event = TimelineEvent.objects.get(case=case, kind=TimelineKind.CONTACT)
    assert timezone.localtime(event.occurred_at).date() == day and timezone.localtime(event.occurred_at).hour == 0


def test_it_refuses_a_future_date_an_unknown_service_or_outcome_and_someone_who_is_not_a_victim(officer, case, victim):
    suspect = _party(case, PartyRole.SUSPECT).person
    for changes, field in [
        ({"referred_on": timezone.localdate() + timedelta(days=1)}, "referred_on"),
        ({"service": "astrologer"}, "service"),
        ({"outcome": "maybe"}, "outcome"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            refer(officer, case, victim, **changes)
        assert field in refused.value.errors
    with pytest.raises(InvalidInput) as refused:
        refer(officer, case, suspect)
    assert "victim_id" in refused.value.errors
    other_case_victim = _party(CaseFactory(unit=officer.unit, officer=officer)).person
    with pytest.raises(InvalidInput):
        refer(officer, case, other_case_victim)
    assert not SupportReferral.objects.exists()


def test_only_those_who_may_edit_the_case_may_refer(officer, registrar, stranger, case, victim):
    for someone in (registrar, stranger):
        with pytest.raises(InvalidInput):
            refer(someone, case, victim)
    assert not SupportReferral.objects.exists()


# --- The victim contact page --------------------------------------------------------------------------


def _post(client, case, victim, **changes):
    data = {
        "referral-victim_id": victim.pk,
        "referral-service": "victim_support",
        "referral-outcome": "referred",
        "referral-referred_on": timezone.localdate().isoformat(),
        "referral-note": "",
    }
    return client.post(reverse("casework:referral-create", args=[case.pk]), data | changes)


def test_the_contact_page_lists_referrals_and_who_is_not_referred_yet(client, officer, case, victim):
    client.force_login(officer)
    page = client.get(reverse("casework:contact-list", args=[case.pk])).text
    assert "Not referred yet" in page and "Record a referral" in page and 'name="referral-service"' in page
    response = _post(client, case, victim)
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:contact-list", args=[case.pk]) + "#referrals"
    page = client.get(reverse("casework:contact-list", args=[case.pk])).text
    assert "Not referred yet" not in page and "Victim Support or local victim service" in page


def test_a_refused_referral_shows_the_page_again_with_the_error(client, officer, case, victim):
    client.force_login(officer)
    response = _post(client, case, victim, **{"referral-outcome": "declined"})
    assert response.status_code == 400
    assert "Record what she was offered and why she declined" in response.text
    assert "govuk-error-summary" in response.text and 'href="#id_referral-note"' in response.text
    assert not SupportReferral.objects.exists()
    missing = _post(client, case, victim, **{"referral-service": ""})
    assert missing.status_code == 400 and not SupportReferral.objects.exists()


def test_a_registrar_sees_referrals_but_cannot_record_one_and_the_stranger_gets_404(
    client, officer, registrar, stranger, case, victim
):
    refer(officer, case, victim)
    client.force_login(registrar)
    page = client.get(reverse("casework:contact-list", args=[case.pk]))
    assert page.status_code == 200 and "Independent stalking advocate" in page.text
    assert "Record a referral" not in page.text
    assert _post(client, case, victim).status_code == 404
    client.force_login(stranger)
    assert _post(client, case, victim).status_code == 404
    assert SupportReferral.objects.count() == 1


# --- The alert ----------------------------------------------------------------------------------------


def at(moment: datetime):
    return time_machine.travel(moment, tick=False)


def _open() -> list[Alert]:
    return list(Alert.objects.filter(kind=AlertKind.VICTIM_NOT_REFERRED, resolved_at__isnull=True))


def test_a_victim_not_referred_two_days_after_the_report_raises_one_alert_until_referred(officer):
    opened = datetime(2026, 6, 1, 9, 0, tzinfo=LONDON)
    with at(opened):
        case = CaseFactory(unit=officer.unit, officer=officer)
        victim = _party(case).person
    with at(opened + timedelta(hours=47)):
        alerts.sweep(CHECK)
    assert _open() == []
    with at(opened + timedelta(hours=49)):
        assert alerts.sweep(CHECK).raised == 1
    with at(opened + timedelta(hours=50)):
        assert alerts.sweep(CHECK).raised == 0
    (alert,) = _open()
    assert alert.facts == {"victims": [victim.pk]} and alert.severity == "warning" and alert.audience == "oic"
    assert alert.due_at == opened + timedelta(days=2)
    with at(opened + timedelta(hours=51)):
        refer(
            officer,
            case,
            victim,
            outcome="declined",
            note="She does not want an advocate",
            referred_on=date(2026, 6, 3),
        )
        assert alerts.sweep(CHECK).resolved == 1
    assert _open() == []


def test_it_waits_for_every_victim_of_the_case(officer):
    opened = datetime(2026, 6, 1, 9, 0, tzinfo=LONDON)
    with at(opened):
        case = CaseFactory(unit=officer.unit, officer=officer)
        first, second = _party(case).person, _party(case).person
        _party(case, PartyRole.SUSPECT)
    with at(opened + timedelta(days=3)):
        refer(officer, case, first)
        alerts.sweep(CHECK)
    (alert,) = _open()
    assert alert.facts == {"victims": [second.pk]}


def test_the_checks_query_count_does_not_grow_with_the_number_of_cases(officer):
    opened = datetime(2026, 6, 1, 9, 0, tzinfo=LONDON)

    def cases(n: int) -> None:
        with at(opened):
            for _ in range(n):
                _party(CaseFactory(unit=officer.unit, officer=officer))

    def queries() -> int:
        Alert.objects.all().delete()
        with at(opened + timedelta(days=3)), CaptureQueriesContext(connection) as captured:
            alerts.sweep(CHECK)
        return len(captured)

    cases(1)
    one = queries()
    cases(4)
    assert queries() == one
    assert len(_open()) == 5
