"""A victim's own log as she or her advocate writes it (issue 17): UK dates with or without a time, the
labels the screens show and everyday words, columns named in plain words, and every mistake listed at
once by its line in the file."""

from datetime import datetime

import pytest
from django.utils import timezone

from casework import choices as c
from casework.incident_csv import DATE_HINT, parse_incident_csv, template_csv
from config.errors import InvalidInput


def _parse(body: str):
    return parse_incident_csv(body.encode(), victim_id=None)


def _local(row_time: datetime) -> tuple:
    moment = timezone.localtime(row_time)
    return moment.year, moment.month, moment.day, moment.hour, moment.minute


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("14/03/2026 08:05", (2026, 3, 14, 8, 5)),
        ("4/3/26 8:05", (2026, 3, 4, 8, 5)),
        ("14.03.2026 8.05pm", (2026, 3, 14, 20, 5)),
        ("14/03/2026, 12:30 am", (2026, 3, 14, 0, 30)),
        ("14-03-2026 23:10:59", (2026, 3, 14, 23, 10)),
        ("2026-03-14 08:05", (2026, 3, 14, 8, 5)),  # the template's former ISO form still reads
        ("2026/03/14 08:05", (2026, 3, 14, 8, 5)),
    ],
)
def test_it_reads_uk_dates_as_day_month_year(written, expected):
    rows, _ = _parse(f'occurred_at,channel\n"{written}",text\n')
    assert _local(rows[0].occurred_at) == expected
    assert rows[0].occurred_until is None


def test_a_date_alone_is_recorded_as_sometime_that_day():
    rows, _ = _parse("occurred_at,occurred_until,channel\n14/03/2026,,text\n14/03/2026 09:00,15/03/2026,text\n")
    assert _local(rows[0].occurred_at) == (2026, 3, 14, 0, 0)
    assert _local(rows[0].occurred_until) == (2026, 3, 14, 23, 59)
    assert _local(rows[1].occurred_until) == (2026, 3, 15, 23, 59)


def test_it_reads_the_screens_labels_everyday_words_and_plain_column_names():
    rows, labels = _parse(
        "Date,How,Where,How many,What happened,Behaviours,Threats,circumstances,new_identity_kind\n"
        '14/03/2026 08:05,Text message,Victim\'s home,3,texts,"Following; (b) Contacting or attempting to contact",'
        "To kill,At night,New phone number\n"
        "15/03/2026 10:00,WhatsApp,work,1,voice note,contacting,kill,children present,phone\n"
        "16/03/2026 10:00,e-mail,ONLINE,,,,,,\n"
        "17/03/2026 10:00,rang,street,,,,,,\n"
    )
    assert labels == ["Line 2", "Line 3", "Line 4", "Line 5"]
    first, second, third, fourth = rows
    assert (first.channel, first.place, first.count, first.narrative) == (
        c.Channel.TEXT,
        c.Place.VICTIM_HOME,
        3,
        "texts",
    )
    assert first.behaviours == [c.Behaviour.FOLLOWING, c.Behaviour.CONTACTING]
    assert first.threats == [c.Threat.KILL] and first.circumstances == [c.Circumstance.AT_NIGHT]
    assert first.new_identity_kind == c.NewIdentityKind.PHONE
    assert (second.channel, second.place) == (c.Channel.MESSAGING_APP, c.Place.VICTIM_WORK)
    assert second.circumstances == [c.Circumstance.CHILDREN_PRESENT]
    assert (third.channel, third.place) == (c.Channel.EMAIL, c.Place.ONLINE)
    assert (fourth.channel, fourth.place) == (c.Channel.PHONE_CALL, c.Place.PUBLIC)


def test_every_mistake_is_listed_at_once_with_its_line():
    body = (
        "occurred_at,channel,place,count\n"
        "14/03/2026 08:05,text,online,1\n"
        "# a comment line keeps the numbering of the file\n"
        "31/02/2026 08:05,pigeon,moon,many\n"
        "yesterday,text,,1\n"
        "14/03/2026 13:00 pm,text,,1\n"
    )
    with pytest.raises(InvalidInput) as refused:
        _parse(body)
    errors = refused.value.errors["file"]
    assert errors[0] == f"Line 4: occurred_at: '31/02/2026 08:05' is not a real date and time ({DATE_HINT})"
    assert errors[1].startswith("Line 4: channel: 'pigeon' is not one we know; write one of: In person, Phone call")
    assert errors[2].startswith("Line 4: place: 'moon' is not one we know; write one of: Victim's home")
    assert errors[3] == "Line 4: count: 'many' is not a whole number"
    assert errors[4].startswith("Line 5: occurred_at: Enter a date and time such as")
    assert errors[5].startswith("Line 6: occurred_at: '14/03/2026 13:00 pm' is not a time of day")
    assert len(errors) == 6


def test_the_template_reads_back_and_lists_the_labels():
    template = template_csv()
    rows, _ = _parse(template)
    assert len(rows) == 1 and _local(rows[0].occurred_at) == (2026, 3, 14, 8, 5)
    assert "# channel: In person | Phone call | Text message" in template
    assert f"# occurred_at, occurred_until: {DATE_HINT}" in template
