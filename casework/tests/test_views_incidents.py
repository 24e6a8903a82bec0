from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from casework import choices as c
from casework.models import Incident, IncidentBatch, TimelineEvent
from casework.tests.test_views_cases import add_person

LOCAL = "%Y-%m-%dT%H:%M"


def _when(delta: timedelta) -> str:
    return timezone.localtime(timezone.now() + delta).strftime(LOCAL)


@pytest.fixture
def victim(officer, case):
    return add_person(officer, case, c.PartyRole.VICTIM, first="Anna", last="Jones")


def test_the_form_defaults_to_now_and_the_only_victim(client, officer, case, victim):
    client.force_login(officer)
    response = client.get(reverse("casework:incident-create", args=[case.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["victim"] == victim.pk
    assert abs(form.initial["occurred_at"] - timezone.localtime()) < timedelta(minutes=1)
    assert 'type="datetime-local"' in response.text


def test_it_logs_an_incident(client, officer, case, victim):
    client.force_login(officer)
    response = client.post(
        reverse("casework:incident-create", args=[case.pk]),
        {
            "occurred_at": _when(-timedelta(hours=2)),
            "victim": victim.pk,
            "channel": c.Channel.TEXT,
            "count": "40",
            "behaviours": [c.Behaviour.CONTACTING],
            "threats": [c.Threat.VIOLENCE],
            "narrative": "40 texts",
        },
    )
    assert response.status_code == 302
    incident = Incident.objects.get(case=case)
    assert incident.count == 40 and incident.victim_id == victim.pk and incident.threats == ["violence"]
    assert TimelineEvent.objects.filter(case=case, kind=c.TimelineKind.INCIDENT).count() == 1


def test_the_compact_form_on_the_case_page_logs_with_defaults(client, officer, case, victim):
    client.force_login(officer)
    page = client.get(reverse("casework:case-detail", args=[case.pk]))
    assert 'id="quick_occurred_at"' in page.text
    response = client.post(
        reverse("casework:incident-create", args=[case.pk]),
        {
            "occurred_at": _when(-timedelta(minutes=5)),
            "victim": victim.pk,
            "channel": c.Channel.PHONE_CALL,
            "count": "1",
        },
    )
    assert response.status_code == 302
    incident = Incident.objects.get(case=case)
    assert incident.reported_by == c.ReportedBy.VICTIM and incident.report_method == c.ReportMethod.IN_PERSON


def test_it_refuses_an_incident_in_the_future(client, officer, case, victim):
    client.force_login(officer)
    response = client.post(
        reverse("casework:incident-create", args=[case.pk]),
        {"occurred_at": _when(timedelta(days=2)), "channel": c.Channel.TEXT, "count": "1"},
    )
    assert response.status_code == 400
    assert "When it happened must not be in the future" in response.text
    assert 'href="#id_occurred_at"' in response.text  # the error summary links to the field
    assert not Incident.objects.exists()


def test_it_refuses_a_range_that_ends_before_it_starts(client, officer, case, victim):
    client.force_login(officer)
    response = client.post(
        reverse("casework:incident-create", args=[case.pk]),
        {
            "occurred_at": _when(-timedelta(hours=1)),
            "occurred_until": _when(-timedelta(hours=3)),
            "channel": c.Channel.TEXT,
            "count": "1",
        },
    )
    assert response.status_code == 400
    assert "The end of the range must be after its start" in response.text
    assert not Incident.objects.exists()


def test_it_edits_an_incident_and_answers_409_on_a_stale_version(client, officer, case, victim):
    from casework.tests.factories import IncidentFactory

    incident = IncidentFactory(case=case, count=2)
    client.force_login(officer)
    url = reverse("casework:incident-edit", args=[case.pk, incident.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="version" value="1"' in page.text
    data = {"version": 1, "occurred_at": _when(-timedelta(days=1)), "channel": c.Channel.EMAIL, "count": "3"}
    assert client.post(url, data).status_code == 302
    incident.refresh_from_db()
    assert incident.channel == c.Channel.EMAIL and incident.count == 3 and incident.version == 2
    stale = client.post(url, data | {"count": "9"})
    assert stale.status_code == 409
    assert "Someone else changed it" in stale.text
    incident.refresh_from_db()
    assert incident.count == 3


def test_the_stranger_gets_404_on_every_incident_page(client, stranger, case):
    from casework.tests.factories import IncidentFactory

    incident = IncidentFactory(case=case)
    client.force_login(stranger)
    for url in (
        reverse("casework:incident-create", args=[case.pk]),
        reverse("casework:incident-edit", args=[case.pk, incident.pk]),
        reverse("casework:incident-import", args=[case.pk]),
        reverse("casework:incident-import-template", args=[case.pk]),
    ):
        assert client.get(url).status_code == 404, url


def _csv(*lines: str) -> SimpleUploadedFile:
    body = "occurred_at,channel,count,narrative\n" + "\n".join(lines) + "\n"
    return SimpleUploadedFile("log.csv", body.encode(), content_type="text/csv")


def test_it_serves_the_csv_template(client, officer, case):
    client.force_login(officer)
    response = client.get(reverse("casework:incident-import-template", args=[case.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"occurred_at,")


def test_the_import_form_carries_a_fresh_client_key(client, officer, case):
    client.force_login(officer)
    first = client.get(reverse("casework:incident-import", args=[case.pk])).context["form"].initial["client_key"]
    second = client.get(reverse("casework:incident-import", args=[case.pk])).context["form"].initial["client_key"]
    assert first != second


def test_it_imports_a_csv_once_even_when_retried(client, officer, case, victim):
    client.force_login(officer)
    url = reverse("casework:incident-import", args=[case.pk])
    lines = ("2026-01-10 08:00,text,43,texts", "2026-01-11 09:30,phone_call,2,calls")
    first = client.post(url, {"file": _csv(*lines), "victim": victim.pk, "client_key": "csv-abc"})
    assert first.status_code == 302
    assert Incident.objects.filter(case=case).count() == 2
    assert set(Incident.objects.values_list("victim_id", flat=True)) == {victim.pk}
    retry = client.post(url, {"file": _csv(*lines), "victim": victim.pk, "client_key": "csv-abc"}, follow=True)
    assert "already imported" in retry.text
    assert Incident.objects.filter(case=case).count() == 2
    assert IncidentBatch.objects.count() == 1


def test_it_lists_each_bad_csv_line_and_saves_nothing(client, officer, case, victim):
    client.force_login(officer)
    response = client.post(
        reverse("casework:incident-import", args=[case.pk]),
        {
            "file": _csv("2026-01-10 08:00,text,1,ok", "yesterday,text,1,bad date", "2026-01-12 08:00,pigeon,1,x"),
            "client_key": "csv-bad",
        },
    )
    assert response.status_code == 400
    # Every bad line at once, by its line in the file.
    assert "Line 3: occurred_at: Enter a date and time such as" in response.text
    assert (
        "Line 4: channel: &#x27;pigeon&#x27; is not one we know; write one of: In person, Phone call" in response.text
    )
    assert not Incident.objects.exists() and not IncidentBatch.objects.exists()
