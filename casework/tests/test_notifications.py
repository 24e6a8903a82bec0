from django.core import mail

from casework.notifications import notify_new_alerts, send_daily_digest
from casework.tests.factories import AlertFactory


def test_new_alerts_are_mailed_once_to_the_oic_without_personal_details(officer, case):
    officer.email = "priya.shah@police.example"
    officer.save()
    AlertFactory(case=case)
    assert notify_new_alerts() == 1
    assert notify_new_alerts() == 0
    (message,) = mail.outbox
    assert message.to == ["priya.shah@police.example"]
    assert case.reference in message.body and f"/cases/{case.pk}/" in message.body
    assert case.title not in message.body


def test_registrar_alerts_go_to_the_forces_registrars_and_digest_users_wait(officer, registrar, supervisor, case):
    registrar.email = "reg@police.example"
    registrar.save()
    supervisor.email = "sup@police.example"
    supervisor.alert_email = "daily"
    supervisor.save()
    AlertFactory(case=case, kind="stalking_recorded_as_harassment", audience="registrar")
    AlertFactory(case=case, kind="victim_update_overdue", audience="supervisor")
    notify_new_alerts()
    assert [m.to for m in mail.outbox] == [["reg@police.example"]]
    send_daily_digest()
    assert mail.outbox[-1].to == ["sup@police.example"] and "Daily digest" in mail.outbox[-1].subject
