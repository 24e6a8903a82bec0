"""Referring a victim to an organisation on this system with her consent to share, and ending the referral:
the service's rules, the advocate's access starting and ending with it, the victim contact page and the API."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import policy
from accounts.choices import Role
from accounts.models import AuditEntry
from accounts.policy import Action
from accounts.tests.factories import UserFactory
from casework.choices import PartyRole, TimelineKind
from casework.models import CaseParty, SupportReferral, TimelineEvent
from casework.services.referrals import support_referral_end, support_referral_record
from casework.tests.factories import PersonFactory
from config.errors import InvalidInput, TransitionNotAllowed


@pytest.fixture
def victim(case):
    person = PersonFactory(first_name="Jane", last_name="Doe")
    CaseParty.objects.create(case=case, person=person, role=PartyRole.VICTIM)
    return person


def refer(actor, case, victim, **changes):
    inputs = {
        "service": "stalking_advocate",
        "outcome": "referred",
        "referred_on": timezone.localdate(),
        "note": "",
        "organisation_id": None,
        "consent_to_share": None,
    }
    return support_referral_record(actor=actor, case=case, victim_id=victim.pk, **(inputs | changes))


def refer_to(actor, case, victim, organisation, consent=True, **changes):
    return refer(actor, case, victim, organisation_id=organisation.pk, consent_to_share=consent, **changes)


def end(actor, referral, **changes):
    inputs = {"ended_on": timezone.localdate(), "reason": "She moved out of the area"}
    return support_referral_end(actor=actor, referral=referral, **(inputs | changes))


# --- Recording a referral to an organisation ----------------------------------------------------------


def test_a_referral_with_consent_opens_her_victim_safe_view_to_the_organisation_only(officer, advocate, case, victim):
    assert not policy.may(advocate, Action.VIEW_VICTIM_SAFE, case)
    referral = refer_to(officer, case, victim, advocate.organisation)
    assert referral.organisation == advocate.organisation and referral.consent_to_share is True
    assert policy.may(advocate, Action.VIEW_VICTIM_SAFE, case)
    assert policy.referred_victim_ids(advocate, case) == {victim.pk}
    other = UserFactory(role=Role.ADVOCATE)
    assert not policy.may(other, Action.VIEW_VICTIM_SAFE, case)
    event = TimelineEvent.objects.get(case=case, kind=TimelineKind.CONTACT)
    assert event.summary == (
        f"Referred to Independent stalking advocate (ISAC) ({advocate.organisation}; she agreed to share her details)"
    )


def test_without_her_consent_the_organisation_sees_nothing(officer, advocate, case, victim):
    referral = refer_to(officer, case, victim, advocate.organisation, consent=False)
    assert referral.consent_to_share is False
    assert not policy.may(advocate, Action.VIEW_VICTIM_SAFE, case)
    assert "no consent to share" in TimelineEvent.objects.get(case=case).summary


def test_an_organisation_needs_her_answer_on_sharing(officer, advocate, case, victim):
    with pytest.raises(InvalidInput) as refused:
        refer(officer, case, victim, organisation_id=advocate.organisation.pk)
    assert refused.value.errors == {
        "consent_to_share": ["Say whether she agrees to her details being shared with this service"]
    }
    assert not SupportReferral.objects.exists() and not TimelineEvent.objects.exists()


def test_a_declined_referral_names_no_organisation(officer, advocate, case, victim):
    with pytest.raises(InvalidInput) as refused:
        refer_to(officer, case, victim, advocate.organisation, outcome="declined", note="She has support already")
    assert list(refused.value.errors) == ["organisation_id"]
    assert not SupportReferral.objects.exists()


def test_it_refuses_an_unknown_organisation_and_a_second_open_referral_to_the_same_one(officer, advocate, case, victim):
    with pytest.raises(InvalidInput) as refused:
        refer(officer, case, victim, organisation_id=987654, consent_to_share=True)
    assert list(refused.value.errors) == ["organisation_id"]
    first = refer_to(officer, case, victim, advocate.organisation)
    with pytest.raises(InvalidInput) as refused:
        refer_to(officer, case, victim, advocate.organisation)
    assert "already referred" in refused.value.errors["organisation_id"][0]
    end(officer, first)
    refer_to(officer, case, victim, advocate.organisation)
    assert SupportReferral.objects.count() == 2


def test_consent_without_an_organisation_is_not_kept(officer, case, victim):
    assert refer(officer, case, victim, consent_to_share=True).consent_to_share is False


# --- Ending a referral ----------------------------------------------------------------------------------


def test_the_police_end_a_referral_and_her_advocate_loses_access_at_once(officer, advocate, case, victim):
    referral = refer_to(officer, case, victim, advocate.organisation)
    ended = end(officer, referral)
    assert ended.ended_on == timezone.localdate()
    referral.refresh_from_db()
    assert referral.ended_on == timezone.localdate()
    assert not policy.may(advocate, Action.VIEW_VICTIM_SAFE, case)
    assert policy.referred_victim_ids(advocate, case) == set()
    event = TimelineEvent.objects.filter(case=case).order_by("-id").first()
    assert event.summary == (
        f"Referral to Independent stalking advocate (ISAC) ({advocate.organisation}) ended: She moved out of the area"
    )
    assert AuditEntry.objects.filter(object_type="casework.supportreferral", object_id=str(referral.pk)).count() == 2


def test_an_advocate_of_the_organisation_may_end_it_but_no_other_advocate(officer, advocate, case, victim):
    referral = refer_to(officer, case, victim, advocate.organisation)
    other = UserFactory(role=Role.ADVOCATE)
    with pytest.raises(InvalidInput):
        end(other, referral)
    end(advocate, referral, reason="She no longer wants support")
    assert not policy.may(advocate, Action.VIEW_VICTIM_SAFE, case)


def test_an_advocate_cannot_end_a_referral_to_another_service(officer, advocate, case, victim):
    refer_to(officer, case, victim, advocate.organisation)
    elsewhere = refer(officer, case, victim, service="idva")
    with pytest.raises(InvalidInput):
        end(advocate, elsewhere)
    assert SupportReferral.objects.get(pk=elsewhere.pk).ended_on is None


def test_those_who_may_not_change_the_case_may_not_end_it(officer, registrar, stranger, lawyer, case, victim):
    referral = refer(officer, case, victim)
    for someone in (registrar, stranger, lawyer):
        with pytest.raises(InvalidInput):
            end(someone, referral)
    assert SupportReferral.objects.get(pk=referral.pk).ended_on is None


def test_it_ends_once_and_never_a_declined_referral(officer, case, victim):
    referral = refer(officer, case, victim)
    end(officer, referral)
    with pytest.raises(TransitionNotAllowed, match="already ended"):
        end(officer, referral)
    declined = refer(officer, case, victim, outcome="declined", note="Not now")
    with pytest.raises(TransitionNotAllowed, match="declined"):
        end(officer, declined)
    assert TimelineEvent.objects.filter(case=case).count() == 3  # two referrals, one end


def test_it_needs_a_reason_and_a_date_between_the_referral_and_today(officer, case, victim):
    referral = refer(officer, case, victim, referred_on=timezone.localdate() - timedelta(days=5))
    for changes, field in [
        ({"reason": "  "}, "reason"),
        ({"reason": "x" * 201}, "reason"),
        ({"ended_on": timezone.localdate() + timedelta(days=1)}, "ended_on"),
        ({"ended_on": timezone.localdate() - timedelta(days=6)}, "ended_on"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            end(officer, referral, **changes)
        assert list(refused.value.errors) == [field]
    assert SupportReferral.objects.get(pk=referral.pk).ended_on is None
    assert TimelineEvent.objects.filter(case=case).count() == 1
    end(officer, referral, ended_on=timezone.localdate() - timedelta(days=5))


# --- The victim contact page ------------------------------------------------------------------------------


def _post(client, case, victim, **changes):
    data = {
        "referral-victim_id": victim.pk,
        "referral-service": "stalking_advocate",
        "referral-outcome": "referred",
        "referral-referred_on": timezone.localdate().isoformat(),
        "referral-organisation_id": "",
        "referral-note": "",
    }
    return client.post(reverse("casework:referral-create", args=[case.pk]), data | changes)


def test_the_form_offers_the_organisations_and_asks_about_sharing(client, officer, advocate, case, victim):
    client.force_login(officer)
    page = client.get(reverse("casework:contact-list", args=[case.pk])).text
    assert 'name="referral-organisation_id"' in page and advocate.organisation.name in page
    assert "She agrees to her details being shared with this service</legend>" in page  # not "(optional)"
    assert 'name="referral-consent_to_share"' in page and 'type="radio"' in page


def test_a_referral_to_an_organisation_without_an_answer_is_refused_on_the_form(
    client, officer, advocate, case, victim
):
    client.force_login(officer)
    response = _post(client, case, victim, **{"referral-organisation_id": advocate.organisation.pk})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.text
    assert "Say whether she agrees to her details being shared with this service" in response.text
    assert 'href="#id_referral-consent_to_share_0"' in response.text
    assert not SupportReferral.objects.exists()


def test_a_referral_with_consent_from_the_form_shows_in_the_list(client, officer, advocate, case, victim):
    client.force_login(officer)
    response = _post(
        client,
        case,
        victim,
        **{"referral-organisation_id": advocate.organisation.pk, "referral-consent_to_share": "yes"},
    )
    assert response.status_code == 302
    referral = SupportReferral.objects.get()
    assert referral.organisation == advocate.organisation and referral.consent_to_share is True
    page = client.get(reverse("casework:contact-list", args=[case.pk])).text
    assert "She agreed to share her details" in page and "End the referral" in page


def test_the_officer_ends_a_referral_from_the_contact_page(client, officer, advocate, case, victim):
    referral = refer_to(officer, case, victim, advocate.organisation)
    client.force_login(officer)
    url = reverse("casework:referral-end", args=[case.pk, referral.pk])
    prefix = f"end-{referral.pk}"
    refused = client.post(url, {f"{prefix}-ended_on": timezone.localdate().isoformat(), f"{prefix}-reason": ""})
    assert refused.status_code == 400 and "govuk-error-summary" in refused.text
    assert f'href="#id_{prefix}-reason"' in refused.text
    response = client.post(
        url, {f"{prefix}-ended_on": timezone.localdate().isoformat(), f"{prefix}-reason": "Case closed by the service"}
    )
    assert response.status_code == 302
    assert SupportReferral.objects.get(pk=referral.pk).ended_on == timezone.localdate()
    page = client.get(reverse("casework:contact-list", args=[case.pk])).text
    assert f"Ended {timezone.localdate():%-d %b %Y}" in page and "End the referral" not in page
    again = client.post(url, {f"{prefix}-ended_on": timezone.localdate().isoformat(), f"{prefix}-reason": "Again"})
    assert again.status_code == 409 and "already ended" in again.text


def test_ending_on_the_page_is_for_the_police_of_the_case_only(client, officer, registrar, advocate, case, victim):
    referral = refer_to(officer, case, victim, advocate.organisation)
    url = reverse("casework:referral-end", args=[case.pk, referral.pk])
    data = {f"end-{referral.pk}-ended_on": timezone.localdate().isoformat(), f"end-{referral.pk}-reason": "Done"}
    for someone in (registrar, advocate):
        client.force_login(someone)
        assert client.post(url, data).status_code == 404
    assert SupportReferral.objects.get(pk=referral.pk).ended_on is None


# --- The API ----------------------------------------------------------------------------------------------


def test_the_api_lists_and_records_referrals_with_organisation_and_consent(api, officer, advocate, case, victim):
    client = api.as_user(officer)
    url = reverse("api-case-referrals", args=[case.pk])
    body = {
        "victim_id": victim.pk,
        "service": "stalking_advocate",
        "outcome": "referred",
        "referred_on": timezone.localdate().isoformat(),
        "organisation_id": advocate.organisation.pk,
    }
    refused = client.post(url, body, format="json")
    assert refused.status_code == 400 and "consent_to_share" in refused.json()["errors"]
    created = client.post(url, body | {"consent_to_share": True}, format="json")
    assert created.status_code == 201
    assert created.json()["organisation"] == advocate.organisation.name and created.json()["consent_to_share"]
    listed = client.get(url).json()
    assert [r["id"] for r in listed] == [created.json()["id"]] and listed[0]["ended_on"] is None
    assert AuditEntry.objects.filter(object_type="casework.supportreferral", action="consult").exists()


def test_the_api_ends_a_referral_for_the_police_or_her_advocate_and_404_for_others(
    api, officer, registrar, stranger, advocate, case, victim
):
    referral = refer_to(officer, case, victim, advocate.organisation)
    url = reverse("api-referral-end", args=[referral.pk])
    body = {"ended_on": timezone.localdate().isoformat(), "reason": "She asked to stop"}
    for someone in (registrar, stranger, UserFactory(role=Role.ADVOCATE)):
        assert api.as_user(someone).post(url, body, format="json").status_code == 404
    assert api.as_user(advocate).post(url, body | {"reason": ""}, format="json").status_code == 400
    ended = api.as_user(advocate).post(url, body, format="json")
    assert ended.status_code == 200 and ended.json()["ended_on"] == timezone.localdate().isoformat()
    # Her access ended: she can no longer reach it; the police get 409 for a second end.
    assert api.as_user(advocate).post(url, body, format="json").status_code == 404
    again = api.as_user(officer).post(url, body, format="json")
    assert again.status_code == 409 and "already ended" in again.json()["errors"]["non_field_errors"][0]


def test_an_advocate_cannot_list_the_case_referrals(api, officer, advocate, case, victim):
    refer_to(officer, case, victim, advocate.organisation)
    assert api.as_user(advocate).get(reverse("api-case-referrals", args=[case.pk])).status_code == 404
