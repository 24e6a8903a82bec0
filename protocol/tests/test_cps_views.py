"""The prosecutor's pages: the queue, the handover page both sides see, raising and answering actions and
the decision through the forms; the lawyer reaches nothing of the case but these pages and the pack."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from casework.choices import TimelineKind
from casework.models import CaseDocument, TimelineEvent
from protocol import choices as c
from protocol.models import ActionItem
from protocol.tests.factories import handover_to, raise_action

QUEUE = reverse("protocol:cps-queue")


def page_of(handover) -> str:
    return reverse("protocol:handover-detail", args=[handover.pk])


def decision_post(**overrides) -> dict:
    data = {
        "decision-decision": c.Decision.CHARGE,
        "decision-code_test": c.CodeTest.FULL_CODE,
        "decision-offences_charged": [c.Offence.PHA_S4A_FEAR],
        "decision-rationale": "Full Code Test met.",
    }
    return data | overrides


def test_the_lawyers_queue_lists_their_requests_with_the_case_suspect_and_open_actions(
    client, lawyer, other_lawyer, case
):
    mine = handover_to(case, lawyer, priority=c.Priority.RED, note="Suspect in custody")
    handover_to(case, other_lawyer)
    raise_action(mine)
    client.force_login(lawyer)
    response = client.get(QUEUE)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("app-cps-queue-row") == 1
    assert case.reference in page and page_of(mine) in page and "Red: suspect in custody" in page
    entry = AuditEntry.objects.filter(action="consult", object_type="protocol.handover").latest("id")
    assert entry.detail == f"charging requests queue ids={mine.pk}"


def test_the_navigation_offers_charging_requests_to_who_may_hold_handovers(client, lawyer, officer, advocate):
    for user, shown in ((lawyer, True), (officer, True), (advocate, False)):
        client.force_login(user)
        page = client.get(reverse("home"), follow=True).content.decode()  # a lawyer lands on her queue
        assert (f'href="{QUEUE}"' in page) is shown


def test_the_handover_page_shows_the_summary_the_pack_and_is_audited(client, lawyer, case):
    handover = handover_to(
        case, lawyer, note="Please advise on s.4A", missing_at_send=[{"key": "vps", "title": "VPS taken or offered"}],
        override_reason="Remand hearing tomorrow",
    )  # fmt: skip
    pack = CaseDocument.objects.create(
        case=case, kind="charging_pack", title="Charging pack", source_type="protocol.handover",
        source_id=str(handover.pk), requested_by=case.officer,
    )  # fmt: skip
    handover.pack = pack
    handover.save(update_fields=["pack"])
    client.force_login(lawyer)
    page = client.get(page_of(handover)).content.decode()
    assert "Please advise on s.4A" in page and "VPS taken or offered" in page and "Remand hearing tomorrow" in page
    assert reverse("casework:document-status", args=[pack.pk]) in page and 'aria-live="polite"' in page
    assert page.count(f'id="document-{pack.pk}"') == 1
    assert "Record the charging decision" in page and "Raise an action for the police" in page
    assert reverse("casework:case-detail", args=[case.pk]) not in page  # no way into the case
    entry = AuditEntry.objects.filter(action="consult", object_type="protocol.handover").latest("id")
    assert entry.object_id == str(handover.pk) and entry.actor_username == "lawyer"


def test_the_police_see_the_page_without_the_decision_form(client, officer, lawyer, case):
    handover = handover_to(case, lawyer)
    client.force_login(officer)
    page = client.get(page_of(handover)).content.decode()
    assert "Record the charging decision" not in page and "Raise an action" not in page


def test_the_lawyer_gets_404_on_the_case_and_its_other_pages_and_on_requests_not_theirs(
    client, lawyer, other_lawyer, case
):
    handover_to(case, lawyer)
    theirs = handover_to(case, other_lawyer)
    client.force_login(lawyer)
    for url in (
        reverse("casework:case-detail", args=[case.pk]),
        reverse("casework:evidence-list", args=[case.pk]),
        reverse("orders:case-protection", args=[case.pk]),
        reverse("risk:case-risk", args=[case.pk]),
        reverse("recording:case-records", args=[case.pk]),
        f"/api/v1/cases/{case.pk}/timeline/",
        f"/api/v1/cases/{case.pk}/",
        page_of(theirs),
    ):
        assert client.get(url).status_code == 404, url


def test_the_stranger_gets_404(client, stranger, lawyer, case):
    handover = handover_to(case, lawyer)
    client.force_login(stranger)
    assert client.get(page_of(handover)).status_code == 404
    assert client.post(reverse("protocol:handover-decision", args=[handover.pk]), decision_post()).status_code == 404


def test_the_lawyer_decides_through_the_form_once(client, lawyer, case):
    handover = handover_to(case, lawyer)
    client.force_login(lawyer)
    url = reverse("protocol:handover-decision", args=[handover.pk])
    response = client.post(url, decision_post())
    assert response.status_code == 302 and response.url == page_of(handover)
    handover.refresh_from_db()
    assert handover.status == c.HandoverStatus.DECIDED and handover.offences_charged == [c.Offence.PHA_S4A_FEAR]
    assert TimelineEvent.objects.filter(case=case, kind=TimelineKind.CHARGING).count() == 1
    page = client.get(page_of(handover)).content.decode()
    assert "Decided: Charge" in page and "Record the charging decision" not in page
    again = client.post(url, decision_post())
    assert again.status_code == 409 and "cannot be decided again" in again.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"decision-offences_charged": []}, "Choose the offences to be charged"),
        ({"decision-rationale": ""}, "This field is required"),
        ({"decision-code_test": ""}, "Choose the Code test the charge meets"),
    ],
)
def test_a_refused_decision_comes_back_with_its_error(client, lawyer, case, overrides, message):
    handover = handover_to(case, lawyer)
    client.force_login(lawyer)
    response = client.post(reverse("protocol:handover-decision", args=[handover.pk]), decision_post(**overrides))
    page = response.content.decode()
    assert response.status_code == 400 and message in page and "There is a problem" in page
    handover.refresh_from_db()
    assert handover.status == c.HandoverStatus.AWAITING_DECISION


def test_the_police_may_not_decide(client, officer, lawyer, case):
    handover = handover_to(case, lawyer)
    client.force_login(officer)
    response = client.post(reverse("protocol:handover-decision", args=[handover.pk]), decision_post())
    assert response.status_code == 400 and "Only the prosecutor" in response.content.decode()
    handover.refresh_from_db()
    assert handover.status == c.HandoverStatus.AWAITING_DECISION


def test_the_lawyer_raises_an_action_and_the_officer_answers_it(client, officer, lawyer, case):
    handover = handover_to(case, lawyer)
    client.force_login(lawyer)
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    raise_url = reverse("protocol:handover-action-raise", args=[handover.pk])
    response = client.post(raise_url, {"action-request": "Download the victim's phone", "action-due_on": due})
    assert response.status_code == 302
    (item,) = ActionItem.objects.filter(handover=handover)
    bad = client.post(raise_url, {"action-request": "", "action-due_on": due})
    assert bad.status_code == 400 and ActionItem.objects.count() == 1
    answer_url = reverse("protocol:cps-action-answer", args=[item.pk])
    assert client.post(answer_url, {f"answer-{item.pk}-answer": "Done"}).status_code == 400  # not the police
    client.force_login(officer)
    page = client.get(page_of(handover)).content.decode()
    assert "Download the victim&#x27;s phone" in page and answer_url in page
    assert client.post(answer_url, {f"answer-{item.pk}-answer": ""}).status_code == 400
    response = client.post(answer_url, {f"answer-{item.pk}-answer": "Phone downloaded: exhibit PS/4"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.answer == "Phone downloaded: exhibit PS/4" and item.answered_by_id == officer.pk
    again = client.post(answer_url, {f"answer-{item.pk}-answer": "Again"})
    assert again.status_code == 409
    summaries = TimelineEvent.objects.filter(case=case, kind=TimelineKind.HANDOVER).values_list("summary", flat=True)
    assert len(summaries) == 2


def test_a_lawyer_reads_only_the_packs_of_the_requests_sent_to_them(client, officer, lawyer, other_lawyer, case):
    def pack_of(handover):
        return CaseDocument.objects.create(
            case=case, kind="charging_pack", title="Charging pack", source_type="protocol.handover",
            source_id=str(handover.pk), requested_by=officer,
        )  # fmt: skip

    mine, theirs = pack_of(handover_to(case, lawyer)), pack_of(handover_to(case, other_lawyer))
    client.force_login(lawyer)
    assert client.get(reverse("casework:document-status", args=[mine.pk])).status_code == 200
    assert client.get(reverse("casework:document-status", args=[theirs.pk])).status_code == 404
    client.force_login(officer)
    assert client.get(reverse("casework:document-status", args=[theirs.pk])).status_code == 200
