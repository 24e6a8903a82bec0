"""The input contract on the protection routes (issue 18, D5–D6): a zone radius, an order's duration and
grant date, bail dates and call-out counts that do not fit refuse with a field error, never a 500."""

from datetime import timedelta

import pytest

from config.input_contract import latest_date
from orders.tests.test_api import _act, _consider, _no_contact, _ok, api, suspect, victim  # noqa: F401

RANGE = f"Enter a date between 1 January 1900 and {latest_date():%-d %B %Y}"


@pytest.mark.parametrize(
    ("radius", "message"),
    [(-5, "Enter a whole number from 0 to 100,000"), (2**31, "Enter a whole number from 0 to 100,000")],
)
def test_a_zone_radius_out_of_range_is_a_field_error(api, officer, case, suspect, victim, radius, message):  # noqa: F811
    api.as_user(officer)
    order = _consider(api, case, suspect, victim)
    body = {"kind": "exclusion_zone", "rationale": "He waits there", "protected_ids": [victim.pk],
            "zone_area": "Harborne ward", "zone_radius_m": radius}  # fmt: skip
    response = api.post(f"/api/v1/orders/{order['id']}/conditions/", body, format="json")
    assert response.status_code == 400 and response.json()["errors"]["zone_radius_m"] == [message]


def test_an_order_granted_in_the_year_9999_or_for_ever_is_a_field_error(api, officer, case, suspect, victim):  # noqa: F811
    api.as_user(officer)
    order = _consider(api, case, suspect, victim)
    _no_contact(api, order["id"], victim, consultation="supports", consulted_on="2026-12-01", victim_view="Yes")
    order = _ok(_act(api, order, "draft"))
    order = _ok(_act(api, order, "apply"))
    far = _act(api, order, "grant", on="9999-12-31", duration_value=1, duration_unit="years")
    assert far.status_code == 400 and far.json()["errors"]["on"] == [RANGE]
    for value, unit in ((10**9, "days"), (10**9, "months"), (2**31, "years"), (101, "years")):
        endless = _act(api, order, "grant", duration_value=value, duration_unit=unit)
        assert endless.status_code == 400, (value, unit)
        assert endless.json()["errors"]["duration_value"] == ["An order can last at most 100 years: check the duration"]


def test_bail_to_the_year_9999_is_a_field_error(api, officer, case, suspect, victim):  # noqa: F811
    api.as_user(officer)
    body = {"suspect_id": suspect.pk, "route": "pre_charge_bail", "occurred_on": "9999-12-30",
            "bail_end": "9999-12-31", "bail_authority": "custody_officer"}  # fmt: skip
    response = api.post(f"/api/v1/cases/{case.pk}/bail/", body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"occurred_on": [RANGE], "bail_end": [RANGE]}
    body |= {"occurred_on": "2026-11-30", "bail_end": str(latest_date() + timedelta(days=1))}
    assert api.post(f"/api/v1/cases/{case.pk}/bail/", body, format="json").json()["errors"] == {"bail_end": [RANGE]}
