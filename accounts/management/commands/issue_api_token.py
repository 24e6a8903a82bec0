from django.core.management.base import BaseCommand, CommandError

from accounts.models import ApiTokenScope, User
from accounts.tokens import api_token_issue
from config.errors import Refusal


class Command(BaseCommand):
    help = (
        "Issue an API token to a user (a service account, say) from the server: the operator's access to the "
        "server stands for the second factor. The token is printed once; only its hash is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="what will use it, e.g. 'force intelligence export'")
        parser.add_argument("--scope", required=True, choices=ApiTokenScope.values)

    def handle(self, *args, username, name, scope, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        try:
            token, key = api_token_issue(actor=None, user=user, name=name, scope=scope, after_mfa=True)
        except Refusal as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"Token {token.prefix}… for {username}, {scope}, expires {token.expires_at:%Y-%m-%d}:")
        self.stdout.write(key)
