"""The case page costs the same at 10 and at 1,000 incidents: the same queries, about the same HTML.

What it shows from every incident (rhythm, course of conduct, recording advice, the handover panel's
conduct) comes from stored summaries (casework/summaries.py) kept fresh by the per-case refresher; a
reason resting on many incidents cites the first few by number and "and N more".
"""

import re
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework import choices as c
from casework.models import CaseSummary, Incident, TimelineEvent
from casework.services.incidents import IncidentInput, incident_record
from casework.summaries import summaries_refresh
from casework.tests.factories import CaseFactory
from casework.tests.test_views_cases import add_person

CHANNELS = [c.Channel.TEXT, c.Channel.EMAIL, c.Channel.PHONE_CALL, c.Channel.THIRD_PARTY]


def _campaign(case, officer, victim, n: int) -> None:
    """n incidents over the same 8 weeks whatever n (so the rhythm chart has the same bars), in four
    channels, some feared, some with 25 acts in a day: every kind of reason the advice gives."""
    start = timezone.now() - timedelta(days=60)
    incidents = Incident.objects.bulk_create(
        Incident(
            case=case,
            victim=victim,
            occurred_at=start + timedelta(minutes=n_ * 80_000 // n),
            reported_at=timezone.now(),
            channel=CHANNELS[n_ % 4],
            count=25 if n_ % 7 == 0 else 1,
            victim_feared_violence=n_ % 3 == 0,
            behaviours=[c.Behaviour.FOLLOWING] if n_ % 5 == 0 else [],
            created_by=officer,
            number=n_ + 1,
        )
        for n_ in range(n)
    )
    TimelineEvent.objects.bulk_create(
        TimelineEvent(
            case=case,
            occurred_at=i.occurred_at,
            kind=c.TimelineKind.INCIDENT,
            summary="Text",
            channel=i.channel,
            source_type="casework.incident",
            source_id=str(i.pk),
        )
        for i in incidents
    )
    summaries_refresh(case.pk)  # what the refresher does after every change


def _case_with(officer, n: int):
    case = CaseFactory(unit=officer.unit, officer=officer)
    victim = add_person(officer, case, c.PartyRole.VICTIM, first=f"Victim{n}")
    _campaign(case, officer, victim, n)
    return case


def _open(client, case) -> tuple[int, str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("casework:case-detail", args=[case.pk]))
    assert response.status_code == 200
    return len(queries), response.content.decode(), [q["sql"] for q in queries]


def test_the_case_page_has_the_same_queries_and_size_at_10_200_and_1000_incidents(client, officer):
    small, middle, big = (_case_with(officer, n) for n in (10, 200, 1000))
    client.force_login(officer)
    _open(client, small)  # warm caches (content types, session)
    (q10, html10, _), (q200, html200, _), (q1000, html1000, sql) = (_open(client, x) for x in (small, middle, big))
    assert q10 == q200 == q1000
    assert not [s for s in sql if "casework_incident" in s and "SUM" not in s.upper()], "read every incident"
    # 10 incidents fill less of the timeline's first page (50 entries); 200 and 1,000 fill it. At 200 a
    # busy day's reason cites 1–4 incidents, at 1,000 the five it may: the only growth, and it stops there.
    assert len(html1000) <= len(html200) * 1.08
    assert len(html1000) <= len(html10) + 40_000 and len(html1000) < 150_000
    assert html1000.count('class="moj-timeline__item"') == 50


def test_a_reason_on_many_incidents_cites_the_first_by_number_and_links_the_rest(client, officer):
    case = _case_with(officer, 1000)
    client.force_login(officer)
    _, html, _ = _open(client, case)
    advice = html[html.index('class="app-advice"') :]
    first = Incident.objects.get(case=case, number=1)
    assert f'href="/cases/{case.pk}/incidents/{first.pk}/edit/">#1</a>' in advice
    # "the conduct has continued on 1000 separate occasions": five numbers, then the other 995 in the timeline.
    more = re.search(r'#5</a> and <a class="govuk-link" href="([^"]+)">995 more</a>', advice)
    assert more, "the reason resting on every incident cites five and links the rest"
    url = more.group(1).replace("&amp;", "&")
    assert "kind=incident" in url and "date_from=" in url and "date_to=" in url
    response = client.get(url)
    assert response.status_code == 200 and response.text.count('class="moj-timeline__item"') == 50
    assert "Older entries" in response.text


def test_a_change_not_yet_refreshed_is_shown_and_the_refresher_saves_the_page_the_work(client, officer):
    case = _case_with(officer, 30)
    victim = case.parties.get().person
    client.force_login(officer)
    _, html, sql = _open(client, case)
    assert "30 occasions" in html
    assert not [s for s in sql if "casework_casesummary" in s and "INSERT" in s]  # the refresher stored them

    # A new incident whose refresh has not run (no broker in the test): the page works the summaries out.
    when = timezone.now() - timedelta(hours=1)
    data = IncidentInput(occurred_at=when, channel=c.Channel.TEXT, victim_id=victim.pk)
    incident_record(actor=officer, case=case, data=data)
    _, html, sql = _open(client, case)
    assert "31 occasions" in html
    assert [s for s in sql if "casework_casesummary" in s and "INSERT" in s]
    _, html, sql = _open(client, case)
    assert "31 occasions" in html and not [s for s in sql if "INSERT" in s and "casework_casesummary" in s]
    assert set(CaseSummary.objects.filter(case=case).values_list("kind", flat=True)) == {"incidents", "advice"}
