import getpass

from django.core.management.base import BaseCommand, CommandError

from accounts.choices import Role
from accounts.services import user_create
from config.errors import Refusal


class Command(BaseCommand):
    help = "Create a user with a role and the unit, CPS area or support organisation they belong to."

    def add_arguments(self, parser):
        parser.add_argument("name", help="the username they will log in with")
        parser.add_argument("--role", required=True, help=f"one of: {', '.join(Role.values)}")
        parser.add_argument(
            "--unit",
            required=True,
            help="code of the unit (police roles), CPS area (cps_lawyer) or organisation (advocate)",
        )
        parser.add_argument("--password", help="prompted for when not given")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")

    def handle(self, *args, name, role, unit, password, first_name, last_name, email, **options):
        if role not in Role.values:
            raise CommandError(f"Unknown role {role!r}. Known roles: {', '.join(Role.values)}.")
        if password is None:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords do not match.")
        try:
            user = user_create(
                username=name,
                role=role,
                place_code=unit,
                password=password,
                first_name=first_name,
                last_name=last_name,
                email=email,
            )
        except Refusal as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Created {user.username} ({user.get_role_display()}, {user.place}).")
