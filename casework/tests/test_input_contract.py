"""One input contract for every way in: the single incident endpoint, the batch, the CSV import, the HTML
form and the passed-on accept refuse the same hostile value with the same message, save nothing and leave
the case readable (D2, D4–D7 of issue 18)."""

import logging
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework.incident_csv import DATE_HINT
from casework.models import Incident
from casework.tests import factories
from casework.tests.factories import add_victim
from config.input_contract import NUL_MESSAGE

YEAR_ZERO = "0001-01-01T00:30:00+01:00"
RANGE = "Enter a date between 1 January 1900 and 5 December 2027"
HUGE = 2**31
HUGE_MESSAGE = "Enter a whole number from 1 to 2,147,483,647"
pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def frozen():
    with time_machine.travel(datetime(2026, 12, 4, 12, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def victim(case):
    return add_victim(case)


def _api(api, officer, case, body):
    return api.as_user(officer).post(f"/api/v1/cases/{case.pk}/incidents/", body, format="json")


def _batch(api, officer, case, row, key="k-1"):
    body = {"client_key": key, "incidents": [row]}
    return api.as_user(officer).post(f"/api/v1/cases/{case.pk}/incidents/batch/", body, format="json")


def _csv(client, officer, case, body: str):
    client.force_login(officer)
    upload = SimpleUploadedFile("log.csv", body.encode(), content_type="text/csv")
    url = reverse("casework:incident-import", args=[case.pk])
    return client.post(url, {"file": upload, "client_key": "csv-1"})


def _form(client, officer, case, **fields):
    client.force_login(officer)
    data = {"occurred_at": "2026-12-01T08:00", "channel": "text", "count": "1"} | fields
    return client.post(reverse("casework:incident-create", args=[case.pk]), data)


def _accept(api, officer, case, victim, advocate, **changes):
    item = factories.pass_on(case, victim, advocate, count=2, account="Two texts")
    return api.as_user(officer).post(f"/api/v1/passed-on/{item.pk}/accept/", changes, format="json")


@pytest.mark.parametrize(
    ("field", "value", "csv_value", "message"),
    [
        ("occurred_at", YEAR_ZERO, "0001-01-01 00:30", RANGE),
        ("occurred_at", "9999-12-31T23:30:00-01:00", "9999-12-31 23:30", RANGE),
        ("count", HUGE, str(HUGE), HUGE_MESSAGE),
        ("narrative", "texts\x00", "texts\x00", NUL_MESSAGE),
    ],
)
def test_every_way_in_refuses_the_same_value_with_the_same_message(
    api, client, officer, advocate, case, victim, field, value, csv_value, message
):
    row = {"occurred_at": "2026-12-01T08:00:00Z", "channel": "text"} | {field: value}
    single = _api(api, officer, case, row)
    assert single.status_code == 400 and single.json()["errors"][field] == [message], single.json()

    batch = _batch(api, officer, case, row)
    assert batch.status_code == 400
    assert any(line.startswith(f"Row 1: {field}: {message}") for line in batch.json()["errors"]["rows"]), batch.json()

    csv_row = {"occurred_at": "2026-12-01 08:00", "channel": "text", "count": "1", "narrative": ""} | {field: csv_value}
    line = ",".join(csv_row[name] for name in ("occurred_at", "channel", "count", "narrative"))
    imported = _csv(client, officer, case, f"occurred_at,channel,count,narrative\n{line}\n")
    assert imported.status_code == 400
    assert any(f"Line 2: {field}: {message}" in e for e in imported.context["form"].errors["file"])

    form_value = {"occurred_at": csv_value.replace(" ", "T")}.get(field, csv_value)
    form = _form(client, officer, case, **{field: form_value})
    assert form.status_code == 400 and form.context["form"].errors[field] == [message]

    if field != "narrative":  # the narrative of an accepted incident is her account
        accepted = _accept(api, officer, case, victim, advocate, **{field: value})
        assert accepted.status_code == 400 and accepted.json()["errors"][field] == [message], accepted.json()

    assert not Incident.objects.exists()
    for read in ("incidents/", "timeline/"):
        assert api.as_user(officer).get(f"/api/v1/cases/{case.pk}/{read}").status_code == 200


def test_a_nul_in_the_batch_client_key_is_refused_not_a_server_error(api, officer, case):
    response = _batch(api, officer, case, {"occurred_at": "2026-12-01T08:00:00Z", "channel": "text"}, key="k\x00")
    assert response.status_code == 400
    assert "client_key" in response.json()["errors"]


def test_a_long_text_and_a_long_list_are_refused(api, officer, case):
    too_long = _api(api, officer, case, {"occurred_at": "2026-12-01T08:00:00Z", "channel": "text", "weapon": "x" * 201})
    assert too_long.json()["errors"]["weapon"] == ["Keep this to 200 characters or fewer (it has 201)"]
    many = _batch(
        api,
        officer,
        case,
        {"occurred_at": "2026-12-01T08:00:00Z", "channel": "text", "behaviours": ["contacting"] * 101},
    )
    assert many.json()["errors"]["rows"] == ["Row 1: behaviours: Give at most 100 items"]


def test_the_csv_names_the_line_of_an_unclosed_quote_far_down_a_big_file(client, officer, case):
    lines = ["2026-12-01 08:00,text,1,ok"] * 49_998 + ['2026-12-01 08:00,text,1,"never closed'] + ["x" * 100] * 1400
    response = _csv(client, officer, case, "occurred_at,channel,count,narrative\n" + "\n".join(lines) + "\n")
    assert response.status_code == 400
    errors = response.context["form"].errors["file"]
    assert errors == ['Line 50000: a field runs on past 131,072 characters: is a quote (") left open?']
    assert not Incident.objects.exists()


def test_the_csv_reports_every_bad_line_with_its_number(client, officer, case):
    body = "occurred_at,channel,count,narrative\n2026-12-01 08:00,text,1e5,a\n# a comment\n0001-01-01 00:30,text,1,b\n"
    errors = _csv(client, officer, case, body).context["form"].errors["file"]
    assert errors == [
        "Line 2: count: '1e5' is not a whole number",
        f"Line 4: occurred_at: {RANGE} ({DATE_HINT})",
    ]


def test_a_request_body_nested_too_deeply_is_a_400(api, officer, case):
    deep = "[" * 100_000 + "]" * 100_000
    response = api.as_user(officer).post(
        f"/api/v1/cases/{case.pk}/incidents/batch/", deep, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"errors": {"detail": ["The JSON is nested more than 32 deep"]}}
    nested: list = [1]
    for _ in range(33):
        nested = [nested]
    body = {"client_key": "k", "incidents": nested}
    assert api.post(f"/api/v1/cases/{case.pk}/incidents/batch/", body, format="json").status_code == 400
    assert api.post(f"/api/v1/cases/{case.pk}/incidents/batch/", nested, format="json").status_code == 400


def test_an_unexpected_error_answers_the_error_shape_with_a_request_id_that_is_logged(
    api, officer, case, monkeypatch, caplog
):
    from casework import api as casework_api

    def broken(*args, **kwargs):
        raise RuntimeError("a fault nobody foresaw")

    monkeypatch.setattr(casework_api.incident_services, "incident_record", broken)  # the fault injected
    with caplog.at_level(logging.ERROR, logger="config.errors"):
        response = _api(api, officer, case, {"occurred_at": "2026-12-01T08:00:00Z", "channel": "text"})
    assert response.status_code == 500
    body = response.json()
    assert body["errors"]["detail"] and len(body["request_id"]) == 32
    assert response["X-Request-ID"] == body["request_id"]
    (logged,) = [r for r in caplog.records if r.name == "config.errors"]
    assert body["request_id"] in logged.getMessage() and logged.exc_info[0] is RuntimeError


# --- Daylight saving: the real 2026 UK changeovers (29 March, clocks forward; 25 October, clocks back) ---


@pytest.fixture
def after_the_clocks_went_back():
    with time_machine.travel(datetime(2026, 10, 26, 12, 0, tzinfo=UTC), tick=False):
        yield


@pytest.mark.usefixtures("after_the_clocks_went_back")
def test_the_form_asks_which_0130_when_the_clocks_went_back_and_records_the_one_chosen(client, officer, case):
    asked = _form(client, officer, case, occurred_at="2026-10-25T01:30")
    assert asked.status_code == 400
    assert asked.context["form"].errors["occurred_at"] == [
        "01:30 on 25 October 2026 happened twice (the clocks went back): say which, "
        "first 01:30 (BST, +01:00) or second 01:30 (GMT, +00:00)"
    ]
    assert 'name="occurred_at_which"' in asked.text and "The second 01:30 (GMT, +00:00)" in asked.text
    assert not Incident.objects.exists()

    for which, utc_hour in (("second", 1), ("first", 0)):
        saved = _form(client, officer, case, occurred_at="2026-10-25T01:30", occurred_at_which=which)
        assert saved.status_code == 302
        assert Incident.objects.latest("id").occurred_at == datetime(2026, 10, 25, utc_hour, 30, tzinfo=UTC)


@pytest.mark.usefixtures("after_the_clocks_went_back")
def test_the_api_takes_an_offset_in_the_repeated_hour_and_refuses_a_time_in_the_skipped_hour(api, officer, case):
    naive = _api(api, officer, case, {"occurred_at": "2026-10-25T01:30:00", "channel": "text"})
    assert naive.status_code == 400
    assert naive.json()["errors"]["occurred_at"] == [
        "01:30 on 25 October 2026 happened twice (the clocks went back): give the offset of the one you mean, "
        "first 01:30 (BST, +01:00) or second 01:30 (GMT, +00:00)"
    ]
    second = _api(api, officer, case, {"occurred_at": "2026-10-25T01:30:00+00:00", "channel": "text"})
    assert second.status_code == 201 and second.json()["occurred_at"] == "2026-10-25T01:30:00Z"

    skipped = "01:30 on 29 March 2026 did not happen: the clocks went forward an hour that night. Check the time"
    for response in (
        _api(api, officer, case, {"occurred_at": "2026-03-29T01:30:00", "channel": "text"}),
        _batch(api, officer, case, {"occurred_at": "2026-03-29T01:30:00", "channel": "text"}),
    ):
        assert response.status_code == 400
        assert skipped in str(response.json()["errors"])


@pytest.mark.usefixtures("after_the_clocks_went_back")
def test_the_form_and_the_csv_refuse_a_time_in_the_skipped_hour_and_the_csv_takes_an_offset(client, officer, case):
    skipped = "01:30 on 29 March 2026 did not happen: the clocks went forward an hour that night. Check the time"
    form = _form(client, officer, case, occurred_at="2026-03-29T01:30")
    assert form.status_code == 400 and form.context["form"].errors["occurred_at"] == [skipped]
    body = "occurred_at,channel\n2026-03-29 01:30,text\n2026-10-25 01:30,text\n"
    errors = _csv(client, officer, case, body).context["form"].errors["file"]
    assert errors[0].startswith(f"Line 2: occurred_at: {skipped}")
    assert errors[1].startswith("Line 3: occurred_at: 01:30 on 25 October 2026 happened twice")
    imported = _csv(client, officer, case, "occurred_at,channel\n2026-10-25 01:30+01:00,text\n")
    assert imported.status_code == 302
    assert Incident.objects.get().occurred_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_an_api_path_matching_no_route_answers_the_error_shape(api, officer):
    response = api.as_user(officer).get("/api/v1/cases/-1/")
    assert response.status_code == 404 and response.json() == {"errors": {"detail": ["Not found."]}}


def test_a_nul_in_an_api_address_is_refused_in_the_error_shape(api, officer):
    response = api.as_user(officer).get("/api/v1/cases/?search=a%00b")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert response.json()["errors"]


@pytest.mark.usefixtures("after_the_clocks_went_back")
def test_the_contact_form_asks_which_0130_too(client, officer, case, victim):
    from casework.models import VictimContact

    client.force_login(officer)
    url = reverse("casework:contact-create", args=[case.pk])
    data = {"victim_id": victim.pk, "contacted_at": "2026-10-25T01:30", "method": "phone", "summary": "Called her"}
    asked = client.post(url, data)
    assert asked.status_code == 400 and 'name="contacted_at_which"' in asked.text
    assert client.post(url, data | {"contacted_at_which": "first"}).status_code == 302
    assert VictimContact.objects.get().contacted_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
