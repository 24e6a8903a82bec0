from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts import policy

HEADER = """# Access policy

Generated from `accounts/policy.py` by `python manage.py access_policy_doc`; a test checks that it
matches the code. Scopes: **unit** = cases of the user's own unit, **force** = cases of any unit of
the user's force, **granted** = cases granted to the user (handover to CPS, a case lent to an officer
of another unit), **referred** = cases with a victim referred, with her consent to share, to the
user's support organisation (until the referral ends). For review_access_concerns, **force** = the
concerns about users of the reviewer's force (and about users of no force: CPS lawyers, advocates),
never about herself. For manage_users, **force** = the police users of the administrator's force
(in the admin: names, role, unit, enrolment codes, revoking tokens), never a superuser. Anything not
listed is refused, with the same 404 as a case that does not exist; every 404 answered to a signed-in
user is audited as a refused attempt, and repeated ones raise an
access concern for the force's registrars.

| role | action | scopes |
|---|---|---|
"""


class Command(BaseCommand):
    help = "Write docs/access-policy.md from the access policy's rules."

    def handle(self, *args, **options):
        rows = "".join(f"| {role} | {action} | {scopes} |\n" for role, action, scopes in policy.policy_table())
        path = Path(settings.BASE_DIR) / "docs" / "access-policy.md"
        path.write_text(HEADER + rows)
        self.stdout.write(f"Wrote {path}")
