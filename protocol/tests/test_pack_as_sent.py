"""The lawyer's page says which file the pack is: "as sent on …", and what the case has gained since
(issue 17), as counts only: the lawyer reads the pack, and asks for a new one."""

import html
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from casework.choices import CaseStage, Channel
from casework.models import Case
from casework.services.incidents import IncidentInput, incident_record
from protocol.models import HandoverPreparation
from protocol.services.preparation import handover_send
from protocol.tests.factories import make_ready


@pytest.fixture
def sent(officer, lawyer, case, risk_forms, django_capture_on_commit_callbacks):
    make_ready(case)
    Case.objects.filter(pk=case.pk).update(stage=CaseStage.UNDER_INVESTIGATION)
    case.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        handover = handover_send(actor=officer, case=case, lawyer=lawyer, priority="green", note="Please advise.")
    handover.refresh_from_db()
    assert handover.pack.status == "ready", handover.pack.error
    return handover


def _banner(client, user, handover) -> str:
    client.force_login(user)
    text = client.get(f"/protocol/handovers/{handover.pk}/").text
    start = text.index('id="pack-as-sent"')
    words = re.sub(r"<[^>]+>", " ", text[start : text.index("</div>", start)])
    return " ".join(html.unescape(words).split()).replace(" :", ":")


def test_the_pack_is_marked_as_sent_and_what_changed_since_is_counted(client, officer, lawyer, sent):
    when = timezone.localtime(sent.pack.requested_at)
    banner = _banner(client, lawyer, sent)
    assert f"As sent on {when:%-d %b %Y %H:%M}: the pack is the file as it stood then." in banner
    assert "Nothing has been recorded on the case since." in banner

    for minutes in (30, 20):
        incident_record(
            actor=officer,
            case=sent.case,
            data=IncidentInput(occurred_at=timezone.now() - timedelta(minutes=minutes), channel=Channel.TEXT,
                               narrative="He texted again after the request went."),
        )  # fmt: skip
    HandoverPreparation.objects.filter(case=sent.case).update(updated_at=timezone.now() + timedelta(minutes=1))

    banner = _banner(client, lawyer, sent)
    assert "Recorded on the case since, and not in this pack: 2 incidents recorded" in banner
    assert "the officer's preparation of the file (MG5, MG6) changed on" in banner
    assert "He texted again" not in banner  # counts, never the content
    assert "Ask the officer in the case to prepare the pack again." in banner
    assert "Prepare the pack again to send the file as it is now." in _banner(client, officer, sent)
