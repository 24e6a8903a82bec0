from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AuditEntry
from casework.models import TimelineEvent


def _fill(case, n: int) -> None:
    start = timezone.now() - timedelta(days=365)
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            case=case,
            occurred_at=start + timedelta(minutes=i // 3),
            kind="incident",
            channel="text",
            summary=f"Text message {i}",
        )
        for i in range(n)
    )


def _walk(client, url: str) -> list[int]:
    ids = []
    while url:
        body = client.get(url).json()
        ids += [row["id"] for row in body["results"]]
        url = f"{url.split('?')[0]}?cursor={body['next']}" if body["next"] else ""
    return ids


def test_the_timeline_pages_newest_first_in_a_stable_order_without_gaps(api, officer, case):
    _fill(case, 130)  # three events share each minute: ties are broken by id
    client = api.as_user(officer)
    ids = _walk(client, f"/api/v1/cases/{case.pk}/timeline/")
    expected = list(
        TimelineEvent.objects.filter(case=case).order_by("-occurred_at", "-id").values_list("id", flat=True)
    )
    assert ids == expected


def test_the_timeline_filters_by_kind_channel_and_date(api, officer, case):
    _fill(case, 5)
    TimelineEvent.objects.create(case=case, occurred_at=timezone.now(), kind="contact", summary="Update")
    client = api.as_user(officer)
    url = f"/api/v1/cases/{case.pk}/timeline/"
    assert [r["kind"] for r in client.get(url + "?kind=contact").json()["results"]] == ["contact"]
    assert len(client.get(url + "?channel=text").json()["results"]) == 5
    today = timezone.localdate().isoformat()
    assert len(client.get(url + f"?date_from={today}").json()["results"]) == 1
    assert client.get(url + "?kind=nonsense").status_code == 400
    assert client.get(url + "?cursor=garbage").json()["errors"]["cursor"][0].startswith("The cursor is not valid")


def test_reading_the_timeline_is_audited_and_404_to_strangers(api, officer, stranger, case):
    _fill(case, 3)
    api.as_user(officer).get(f"/api/v1/cases/{case.pk}/timeline/")
    assert AuditEntry.objects.filter(action="consult", object_id=str(case.pk), detail="timeline").exists()
    assert api.as_user(stranger).get(f"/api/v1/cases/{case.pk}/timeline/").status_code == 404


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("deep", [False, True])
def test_the_query_count_is_the_same_for_10_and_10000_events(api, officer, case, deep):
    from casework.tests.factories import CaseFactory

    big = CaseFactory(unit=officer.unit, officer=officer)
    _fill(case, 10)
    _fill(big, 10_000)
    client = api.as_user(officer)

    def url_for(c) -> str:
        url = f"/api/v1/cases/{c.pk}/timeline/"
        if deep:
            for _ in range(3 if c is case else 100):
                body = client.get(url).json()
                if not body["next"]:
                    break
                url = f"/api/v1/cases/{c.pk}/timeline/?cursor={body['next']}"
        return url

    small_url, big_url = url_for(case), url_for(big)
    assert _queries(client, small_url) == _queries(client, big_url)
