import re

import pytest
from django.urls import reverse

from accounts.choices import AlertEmail
from accounts.models import AuditEntry
from accounts.services import user_alert_email_set
from config.errors import InvalidInput

SETTINGS = reverse("account-settings")


def test_it_shows_the_current_e_mail_preference(client, officer):
    client.force_login(officer)
    response = client.get(SETTINGS)
    assert response.status_code == 200
    assert "E-mails about new alerts" in response.text
    assert re.search(r'value="immediate"[^>]*checked', response.text)
    assert not re.search(r'value="daily"[^>]*checked', response.text)


def test_it_changes_only_my_own_preference(client, officer, supervisor):
    client.force_login(officer)
    response = client.post(SETTINGS, {"alert_email": AlertEmail.DAILY, "username": "hacked", "role": "registrar"})
    assert response.status_code == 302 and response.url == SETTINGS
    officer.refresh_from_db()
    supervisor.refresh_from_db()
    assert officer.alert_email == AlertEmail.DAILY and officer.username == "officer" and officer.role == "officer"
    assert supervisor.alert_email == AlertEmail.IMMEDIATE
    assert "Your settings are saved." in client.get(SETTINGS).text


def test_it_refuses_an_unknown_choice(client, officer):
    client.force_login(officer)
    response = client.post(SETTINGS, {"alert_email": "hourly"})
    assert response.status_code == 400
    officer.refresh_from_db()
    assert officer.alert_email == AlertEmail.IMMEDIATE


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(SETTINGS)
    assert response.status_code == 302 and "/account/login/" in response.url


def test_the_service_validates_and_the_change_is_audited(officer):
    with pytest.raises(InvalidInput):
        user_alert_email_set(actor=officer, alert_email="hourly")
    before = AuditEntry.objects.filter(object_id=str(officer.pk), action="alter").count()
    user_alert_email_set(actor=officer, alert_email=AlertEmail.OFF)
    officer.refresh_from_db()
    assert officer.alert_email == AlertEmail.OFF
    entry = AuditEntry.objects.filter(object_id=str(officer.pk), action="alter").order_by("-id").first()
    assert AuditEntry.objects.filter(object_id=str(officer.pk), action="alter").count() == before + 1
    assert entry.changes == ["alert_email"]


def test_home_links_to_the_settings(client, officer):
    client.force_login(officer)
    assert f'href="{SETTINGS}"' in client.get(reverse("home")).text
