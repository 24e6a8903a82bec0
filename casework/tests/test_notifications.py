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


def test_each_alert_is_mailed_once_per_person_through_the_outbox(officer, supervisor, case):
    from casework.models import AlertMail

    officer.email, supervisor.email = "oic@police.example", "sup@police.example"
    officer.save()
    supervisor.save()
    first = AlertFactory(case=case)
    second = AlertFactory(case=case, kind="victim_update_overdue", audience="supervisor")
    assert notify_new_alerts() == 2
    assert sorted(AlertMail.objects.values_list("alert_id", "recipient_id")) == [
        (first.pk, officer.pk),
        (second.pk, supervisor.pk),
    ]
    assert not AlertMail.objects.filter(sent_at__isnull=True).exists()
    assert notify_new_alerts() == 0 and len(mail.outbox) == 2


def test_a_refused_send_is_unclaimed_and_sent_on_the_next_run(officer, case, settings):
    from casework.models import AlertMail

    officer.email = "oic@police.example"
    officer.save()
    AlertFactory(case=case)
    # Nothing listens on port 1: the server never took the message.
    settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT = (
        "django.core.mail.backends.smtp.EmailBackend", "127.0.0.1", 1
    )  # fmt: skip
    assert notify_new_alerts() == 0
    assert AlertMail.objects.get().claimed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notify_new_alerts() == 1 and len(mail.outbox) == 1
    assert AlertMail.objects.get().sent_at is not None


def test_rows_claimed_by_a_sender_that_died_are_never_sent_again(officer, case):
    from django.utils import timezone

    from casework.models import AlertMail

    officer.email = "oic@police.example"
    officer.save()
    alert = AlertFactory(case=case, notified_at=timezone.now())
    # What a sender killed between claiming and marking leaves (the killed-worker test makes it for real).
    AlertMail.objects.create(alert=alert, recipient=officer, claimed_at=timezone.now())
    assert notify_new_alerts() == 0 and mail.outbox == []
