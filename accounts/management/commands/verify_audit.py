from django.core.management.base import BaseCommand, CommandError

from accounts.audit import verify_chain
from accounts.models import AuditEntry


class Command(BaseCommand):
    help = "Walk the audit log's hash chain and report the first broken link."

    def handle(self, *args, **options):
        broken = verify_chain()
        if broken is not None:
            raise CommandError(
                f"Audit chain broken at entry {broken.pk} ({broken.at:%Y-%m-%d %H:%M:%S}, {broken.action} "
                f"{broken.object_type} {broken.object_id}): its hash or its link to the previous entry "
                "does not match. Entries from here on cannot be trusted."
            )
        self.stdout.write(f"Audit chain intact: {AuditEntry.objects.count()} entries.")
