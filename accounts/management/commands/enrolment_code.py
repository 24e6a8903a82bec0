from django.core.management.base import BaseCommand, CommandError

from accounts.enrolment import enrolment_code_issue
from accounts.models import User


class Command(BaseCommand):
    help = (
        "Issue a one-time code for a user to enrol an authenticator (the first administrator, or anyone when "
        "no administrator can): their current authenticator is removed. The code is printed once."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        enrolment, code = enrolment_code_issue(actor=None, user=user)
        self.stdout.write(f"Enrolment code for {username}, valid until {enrolment.expires_at:%Y-%m-%d %H:%M}:")
        self.stdout.write(code)
