import csv
import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from casework.models import TimelineEvent
from casework.services.incidents import IncidentInput, incident_record
from casework.services.people import party_add, person_create
from casework.tests.factories import CaseFactory
from recording.models import CrimeRecord, Reclassification, RecordingReview
from recording.services import crime_record_create
from recording.views import csv_safe


@pytest.fixture
def stalked_case(officer, case):
    """Followed from the gym, then found on Facebook and messaged under another name."""
    victim = person_create(actor=officer, first_name="Amy", last_name="Lee")
    party_add(actor=officer, case=case, person=victim, role="victim", relationship_to_suspect="stranger")
    now = timezone.now()
    for days_ago, channel, behaviours in [
        (20, "loitering", ["following"]),
        (15, "social_media", ["contacting", "monitoring"]),
        (10, "social_media", ["contacting"]),
    ]:
        incident_record(
            actor=officer,
            case=case,
            data=IncidentInput(
                occurred_at=now - timedelta(days=days_ago), channel=channel, behaviours=behaviours, victim_id=victim.pk
            ),
        )
    return case


@pytest.fixture
def harassment_record(officer, stalked_case):
    return crime_record_create(
        actor=officer,
        case=stalked_case,
        offence="pha_1997_s2",
        rationale="Unwanted messages",
        override_reason="Victim's account still being taken",
    )


def _records_url(case):
    return f"/recording/cases/{case.pk}/"


# --- Crime records of a case -----------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), [("officer", 200), ("supervisor", 200), ("registrar", 200)])
def test_it_shows_the_records_and_advice_to_the_case_roles(client, cast, harassment_record, role, status):
    client.force_login(cast[role])
    response = client.get(_records_url(harassment_record.case))
    assert response.status_code == status
    html = response.content.decode()
    assert "Consider 8Q stalking (PHA 1997 s.2A)" in html
    assert harassment_record.crime_number in html
    assert "Victim&#x27;s account still being taken" in html
    assert "FOUR markers" in html and "(a) Following" in html


@pytest.mark.parametrize("role", ["stranger", "lawyer", "advocate"])
def test_it_gives_the_others_404(client, cast, harassment_record, role):
    client.force_login(cast[role])
    assert client.get(_records_url(harassment_record.case)).status_code == 404
    assert client.get(f"{_records_url(harassment_record.case)}records/new/").status_code == 404


def test_it_links_the_cited_incidents_for_those_who_may_edit_them(client, officer, registrar, stalked_case):
    incident = stalked_case.incidents.order_by("occurred_at").first()
    link = f'href="/cases/{stalked_case.pk}/incidents/{incident.pk}/edit/"'
    client.force_login(officer)
    assert link in client.get(_records_url(stalked_case)).content.decode()
    client.force_login(registrar)
    html = client.get(_records_url(stalked_case)).content.decode()
    assert link not in html and f"incident {incident.pk}" in html


# --- Recording a crime -----------------------------------------------------------------------------


def test_a_counting_rule_warning_saves_nothing_until_a_reason_is_given(client, officer, stalked_case):
    client.force_login(officer)
    url = f"{_records_url(stalked_case)}records/new/"
    data = {"offence": "pha_1997_s2", "classification": "", "is_principal": "true", "rationale": "Messages"}
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Counting rules" in html and "Nothing has been saved" in html
    assert "Keep this classification because…" in html
    assert not CrimeRecord.objects.exists()

    response = client.post(url, data | {"override_reason": ""})
    assert response.status_code == 400 and not CrimeRecord.objects.exists()

    response = client.post(url, data | {"override_reason": "Victim's account still being taken"})
    assert response.status_code == 302 and response["Location"] == _records_url(stalked_case)
    record = CrimeRecord.objects.get()
    assert (record.classification, record.override_reason) == ("8L", "Victim's account still being taken")
    page = client.get(response["Location"]).content.decode()
    assert f"Crime recorded: {record.crime_number}" in page


def test_recording_without_a_rationale_shows_the_error(client, officer, stalked_case):
    client.force_login(officer)
    response = client.post(f"{_records_url(stalked_case)}records/new/", {"offence": "pha_1997_s2a"})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert not CrimeRecord.objects.exists()


# --- Reclassifying ---------------------------------------------------------------------------------


def test_reclassifying_writes_history_and_a_timeline_event(client, supervisor, harassment_record):
    case = harassment_record.case
    url = f"{_records_url(case)}records/{harassment_record.pk}/reclassify/"
    client.force_login(supervisor)
    assert client.get(url).status_code == 200
    data = {"version": harassment_record.version, "offence": "pha_1997_s2a", "reason": "Following: stalking"}
    response = client.post(url, data)
    assert response.status_code == 302
    change = Reclassification.objects.get()
    assert (change.old_classification, change.new_classification, change.reason) == ("8L", "8Q", "Following: stalking")
    assert TimelineEvent.objects.filter(
        case=case, kind="recording", summary__startswith="Reclassified 8L → 8Q"
    ).exists()
    page = client.get(_records_url(case)).content.decode()
    assert "reclassified from 8L to 8Q" in page and "Reclassification history" in page


def test_a_stale_reclassification_is_refused_with_409(client, supervisor, harassment_record):
    case = harassment_record.case
    url = f"{_records_url(case)}records/{harassment_record.pk}/reclassify/"
    client.force_login(supervisor)
    stale = {"version": harassment_record.version - 1 or 99, "offence": "pha_1997_s2a", "reason": "Stalking"}
    response = client.post(url, stale)
    assert response.status_code == 409
    assert "Someone else changed it" in response.content.decode()
    assert not Reclassification.objects.exists()


# --- The audit queue -------------------------------------------------------------------------------


def test_a_decision_removes_the_case_from_the_queue(client, registrar, harassment_record):
    case = harassment_record.case
    client.force_login(registrar)
    queue = client.get("/recording/audit-queue/")
    assert queue.status_code == 200 and case.reference in queue.content.decode()
    response = client.post(
        f"/recording/audit-queue/{case.pk}/decision/",
        {"decision": "reclassify", "offence": "pha_1997_s2a", "reason": "Following and monitoring: stalking"},
        follow=True,
    )
    assert response.redirect_chain == [("/recording/audit-queue/", 302)]
    html = response.content.decode()
    assert "has left the audit queue" in html
    assert f'href="/recording/cases/{case.pk}/"' not in html
    assert RecordingReview.objects.get().decision == "reclassify"
    assert CrimeRecord.objects.get().classification == "8Q"


def test_a_decision_without_a_reason_is_shown_on_the_queue(client, registrar, harassment_record):
    client.force_login(registrar)
    response = client.post(f"/recording/audit-queue/{harassment_record.case_id}/decision/", {"decision": "agree"})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert not RecordingReview.objects.exists()


def test_the_queue_sample_and_statistics_are_404_for_an_officer(client, officer):
    client.force_login(officer)
    for url in ["/recording/audit-queue/", "/recording/audit-queue/sample/", "/recording/statistics/"]:
        assert client.get(url).status_code == 404, url


def test_the_sample_is_the_same_for_the_same_seed(client, officer, registrar):
    for n in range(8):
        case = CaseFactory(unit=officer.unit, officer=officer)
        crime_record_create(actor=officer, case=case, offence="pha_1997_s2", rationale=f"r{n}", override_reason="x")
    client.force_login(registrar)
    since = (timezone.localdate() - timedelta(days=7)).isoformat()

    def drawn(seed):
        response = client.get("/recording/audit-queue/sample/", {"size": 3, "seed": seed, "since": since})
        assert response.status_code == 200
        return re.findall(r'<th scope="row" class="govuk-table__header">([^<]+)</th>', response.content.decode())

    first = drawn(42)
    assert len(first) == 3 and drawn(42) == first
    assert len({tuple(drawn(seed)) for seed in range(10)}) > 1


# --- Statistics ------------------------------------------------------------------------------------


def _page_rows(html: str) -> list[list[str]]:
    table = html[html.index('id="statistics-table"') :]
    table = table[table.index("<tbody") : table.index("</tbody>")]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S):
        month = re.search(r'datetime="([^"]+)"', row).group(1)
        cells = re.findall(r"<td[^>]*>([^<]*)</td>", row)
        rows.append([month, *[c.strip() for c in cells]])
    return rows


def test_the_csv_has_the_numbers_of_the_page(client, officer, registrar, harassment_record):
    other = CaseFactory(unit=officer.unit, officer=officer)
    crime_record_create(actor=officer, case=other, offence="pha_1997_s2a", rationale="Stalking", override_reason="x")
    client.force_login(registrar)
    client.post(
        f"/recording/audit-queue/{harassment_record.case_id}/decision/",
        {"decision": "reclassify", "offence": "pha_1997_s2a", "reason": "Stalking"},
    )
    page = client.get("/recording/statistics/", {"months": 6})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'role="img"' in html and '<title id="stats-chart-title">' in html and "style=" not in html
    download = client.get("/recording/statistics.csv", {"months": 6})
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    header, *lines = list(csv.reader(io.StringIO(download.content.decode())))
    assert header[:3] == ["Month", "Harassment", "Stalking"]
    assert lines == _page_rows(html)
    this_month = f"{timezone.localdate():%Y-%m}"
    assert [line for line in lines if line[0] == this_month] == [[this_month, "0", "2", "0", "1", "1"]]


def test_an_unknown_period_is_refused(client, registrar):
    client.force_login(registrar)
    assert client.get("/recording/statistics/", {"months": "7"}).status_code == 400
    assert client.get("/recording/statistics.csv", {"months": "x"}).status_code == 400


@pytest.mark.parametrize(
    ("value", "safe"),
    [("=1+1", "'=1+1"), ("+44", "'+44"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("12", "12"), ("n/a", "n/a")],
)
def test_csv_cells_cannot_be_formulas(value, safe):
    assert csv_safe(value) == safe


def test_the_dashboard_counts_the_audit_queue_and_links_to_it(client, officer, supervisor, case):
    from datetime import timedelta

    from django.utils import timezone

    from casework.services.incidents import IncidentInput, incident_record
    from recording.selectors import audit_queue
    from recording.services import crime_record_create

    now = timezone.now()
    for days, channel, behaviours in [(20, "loitering", ["following"]), (10, "social_media", ["monitoring"])]:
        incident_record(
            actor=officer,
            case=case,
            data=IncidentInput(occurred_at=now - timedelta(days=days), channel=channel, behaviours=behaviours),
        )
    crime_record_create(actor=officer, case=case, offence="pha_1997_s2", rationale="x", override_reason="y")
    client.force_login(supervisor)
    page = client.get("/dashboard/").text
    assert "Recorded as harassment, pointing to stalking" in page and "/recording/audit-queue/" in page
    assert len(audit_queue(supervisor)) == 1
