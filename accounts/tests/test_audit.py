import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from accounts import audit
from accounts.choices import AuditAction
from accounts.models import AuditEntry
from casework.tests.factories import CaseFactory


def _entries_for(obj):
    return list(audit.history(obj).order_by("id"))


def test_it_logs_a_collection_with_the_fields_set(officer):
    with audit.acting_as(officer, "10.0.0.7"):
        case = CaseFactory(unit=officer.unit, officer=officer)
    (entry,) = _entries_for(case)
    assert entry.action == AuditAction.COLLECT
    assert entry.actor == officer
    assert entry.ip == "10.0.0.7"
    assert {"reference", "title", "unit", "officer"} <= set(entry.changes)


def test_it_logs_an_alteration_with_the_changed_field_names_only(case, supervisor):
    with audit.acting_as(supervisor):
        case.title = "Renamed"
        case.save()
    entry = _entries_for(case)[-1]
    assert entry.action == AuditAction.ALTER
    assert entry.changes == ["title"]
    assert entry.actor_username == "supervisor"
    assert "Renamed" not in str(entry.content())


def test_a_save_that_changes_nothing_is_not_an_alteration(case):
    before = AuditEntry.objects.count()
    case.save()
    assert AuditEntry.objects.count() == before


def test_it_logs_an_erasure(case):
    case_id = str(case.pk)
    case.delete()
    assert AuditEntry.objects.filter(object_type="casework.case", object_id=case_id, action="erase").exists()


def test_it_logs_consultation_through_the_history_page(client, supervisor, case):
    client.force_login(supervisor)
    response = client.get(f"/cases/{case.pk}/history/", REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 200
    entry = _entries_for(case)[-1]
    assert (entry.action, entry.actor, entry.ip) == (AuditAction.CONSULT, supervisor, "192.0.2.9")


def test_the_orm_refuses_to_change_or_remove_an_audit_row(case):
    entry = AuditEntry.objects.first()
    entry.detail = "tampered"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(detail="tampered")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()


def test_the_database_refuses_an_update_of_an_audit_row(case):
    entry = AuditEntry.objects.first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE accounts_auditentry SET detail = 'tampered' WHERE id = %s", [entry.pk])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the DELETE trigger exists on PostgreSQL only")
def test_postgres_refuses_a_delete_of_an_audit_row(case):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM accounts_auditentry")


def _tamper(entry_id: int) -> None:
    """Change a row behind the application's back, as someone with database access might."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A superuser can switch triggers off for their session.
            cursor.execute("SET session_replication_role = replica")
            cursor.execute("UPDATE accounts_auditentry SET detail = 'tampered' WHERE id = %s", [entry_id])
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            cursor.execute("DROP TRIGGER audit_entry_no_update")
            cursor.execute("UPDATE accounts_auditentry SET detail = 'tampered' WHERE id = %s", [entry_id])


def test_verify_audit_passes_on_an_intact_chain(cast, case, capsys):
    for _ in range(3):
        audit.consulted(case)
    call_command("verify_audit")
    assert "Audit chain intact" in capsys.readouterr().out


def test_verify_audit_reports_the_first_row_altered_in_the_database(cast, case):
    entries = list(AuditEntry.objects.order_by("id"))
    victim = entries[len(entries) // 2]
    _tamper(victim.pk)
    with pytest.raises(CommandError, match=f"Audit chain broken at entry {victim.pk} "):
        call_command("verify_audit")


def test_each_entry_links_to_its_predecessor(cast):
    entries = list(AuditEntry.objects.order_by("id"))
    assert entries[0].prev_hash == audit.GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in zip(entries, entries[1:], strict=False))


def test_a_failing_audit_write_undoes_the_change(officer, monkeypatch):
    from casework.models import Case

    def broken(*args, **kwargs):
        raise DatabaseError("audit store unavailable")

    monkeypatch.setattr(audit, "_append", broken)
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseFactory(unit=officer.unit, officer=officer)
    assert not Case.objects.exists()


def test_a_row_whose_text_looks_like_the_chain_field_still_verifies(case):
    entry = audit.consulted(case, detail='"prev_hash":"" \\ \u00e9 "quoted"')
    assert entry.prev_hash != "" and entry.hash == entry.compute_hash()
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.hash == entry.hash and stored.compute_hash() == stored.hash
    assert audit.verify_chain() is None


@pytest.mark.django_db(transaction=True)
def test_appends_from_concurrent_requests_form_one_unbroken_chain(cast, case):
    def append_many():
        try:
            for _ in range(40):
                audit.consulted(case, detail="concurrent")
        finally:
            connection.close()

    threads = [threading.Thread(target=append_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert AuditEntry.objects.filter(detail="concurrent").count() == 160
    assert audit.verify_chain() is None
    assert AuditEntry.objects.values("prev_hash").distinct().count() == AuditEntry.objects.count()


def test_disclosure_records_the_recipient(case, officer, lawyer):
    from accounts.policy import Action
    from casework.services.cases import case_access_grant

    with audit.acting_as(officer):
        case_access_grant(actor=officer, case=case, grantee=lawyer, action=Action.VIEW_HANDOVER)
    entry = AuditEntry.objects.filter(action=AuditAction.DISCLOSE).get()
    assert entry.recipient.startswith("lawyer (CPS lawyer")
    assert entry.detail == "granted view_handover"


def test_logins_and_failures_are_logged(client, officer):
    from accounts.tests.factories import TEST_PASSWORD

    client.post("/account/login/", {"username": "officer", "password": "wrong-password-here"})
    client.post("/account/login/", {"username": "officer", "password": TEST_PASSWORD})
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert AuditAction.LOGIN_FAILED in actions
    assert actions[-1] == AuditAction.LOGIN or AuditAction.LOGIN in actions
