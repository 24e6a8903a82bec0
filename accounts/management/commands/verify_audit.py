from django.core.management.base import BaseCommand, CommandError

from accounts.audit import verify_chain
from accounts.checkpoints import checkpoint_failures
from accounts.models import AuditCheckpoint, AuditEntry


class Command(BaseCommand):
    help = "Walk the audit log's hash chain and check it against the checkpoints; report what is broken."

    def handle(self, *args, **options):
        broken = verify_chain()
        failures = checkpoint_failures()
        if broken is not None:
            failures.insert(
                0,
                f"Audit chain broken at entry {broken.pk} ({broken.at:%Y-%m-%d %H:%M:%S}, {broken.action} "
                f"{broken.object_type} {broken.object_id}): its hash or its link to the previous entry "
                "does not match. Entries from here on cannot be trusted.",
            )
        if failures:
            raise CommandError("\n".join(failures))
        self.stdout.write(
            f"Audit chain intact: {AuditEntry.objects.count()} entries, "
            f"{AuditCheckpoint.objects.count()} checkpoints agree."
        )
