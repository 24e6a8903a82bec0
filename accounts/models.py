import hashlib
import json
from datetime import UTC

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q

from accounts.choices import POLICE_ROLES, AlertEmail, AuditAction, Role


class Force(models.Model):
    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=120)

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A team within a force (e.g. a stalking and harassment unit); cases belong to units."""

    force = models.ForeignKey(Force, on_delete=models.PROTECT, related_name="units")
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    # DAPN/DAPO replace DVPN/DVPO force by force (pilot from 27 Nov 2024): which applies is per unit.
    protection_notice_regime = models.CharField(
        max_length=10, choices=[("dvpn", "DVPN / DVPO"), ("dapn", "DAPN / DAPO")], default="dvpn"
    )

    def __str__(self) -> str:
        return self.name


class CPSArea(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        verbose_name = "CPS area"

    def __str__(self) -> str:
        return self.name


class SupportOrganisation(models.Model):
    """A victim support or stalking advocacy service whose advocates may be referred victims."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="members")
    cps_area = models.ForeignKey(CPSArea, null=True, blank=True, on_delete=models.PROTECT, related_name="lawyers")
    organisation = models.ForeignKey(
        SupportOrganisation, null=True, blank=True, on_delete=models.PROTECT, related_name="advocates"
    )
    alert_email = models.CharField(max_length=10, choices=AlertEmail.choices, default=AlertEmail.IMMEDIATE)

    class Meta:
        constraints = [
            # Each role belongs to exactly the kind of place it works in.
            models.CheckConstraint(
                name="user_place_matches_role",
                condition=(
                    Q(
                        role__in=sorted(POLICE_ROLES),
                        unit__isnull=False,
                        cps_area__isnull=True,
                        organisation__isnull=True,
                    )
                    | Q(role=Role.CPS_LAWYER, unit__isnull=True, cps_area__isnull=False, organisation__isnull=True)
                    | Q(role=Role.ADVOCATE, unit__isnull=True, cps_area__isnull=True, organisation__isnull=False)
                    | Q(is_superuser=True, role="")
                ),
            ),
        ]

    @property
    def place(self) -> Unit | CPSArea | SupportOrganisation | None:
        return self.unit or self.cps_area or self.organisation

    def __str__(self) -> str:
        return self.get_full_name() or self.username


def _canonical(content: dict) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"))


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        raise PermissionError("The audit log is append-only.")


class AuditEntry(models.Model):
    """One processing event (DPA 2018 s.62). Append-only and hash-chained; see accounts/audit.py."""

    at = models.DateTimeField()
    actor = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # Field names only, never values: erasure of a record must not leave its content here.
    changes = models.JSONField(default=list, blank=True)
    recipient = models.CharField(max_length=200, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["object_type", "object_id", "id"]),
            # The access-concern sweep counts each user's recent refused attempts.
            models.Index(
                fields=["actor", "at"], condition=Q(action=AuditAction.REFUSED), name="audit_refused_by_actor"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_username or 'system'} {self.action} {self.object_type}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def content(self) -> dict:
        return {
            "at": self.at.astimezone(UTC).isoformat(),
            "actor_id": self.actor_id,
            "actor_username": self.actor_username,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "changes": self.changes,
            "recipient": self.recipient,
            "detail": self.detail,
            "ip": self.ip,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        return hashlib.sha256(_canonical(self.content()).encode()).hexdigest()

    def canonical_text_around_prev_hash(self) -> tuple[str, str]:
        """The canonical text before and after the predecessor's hash, for the database to chain in.

        Inside a JSON string every quote is escaped, so the unescaped key below occurs exactly once.
        """
        before, _, after = _canonical({**self.content(), "prev_hash": ""}).partition('"prev_hash":""')
        return before + '"prev_hash":"', '"' + after


class Heartbeat(models.Model):
    """The last beat tick the worker ran, so /healthz can tell that beat and worker are alive."""

    name = models.CharField(max_length=40, unique=True)
    ticked_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} {self.ticked_at:%H:%M:%S}"


class AccessConcern(models.Model):
    """Repeated refused attempts by one user within a window (REFUSED_ACCESS_ALERT_COUNT within
    REFUSED_ACCESS_WINDOW_MINUTES): raised once per user and window by the beat sweep from the audit
    trail (accounts/concerns.py), for the registrars of the user's force (professional standards) to
    look into and acknowledge with a note."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="access_concerns")
    # The user's force when raised; none for users of no force (CPS lawyers, advocates).
    force = models.ForeignKey(Force, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    window_starts_at = models.DateTimeField(help_text="the first refused attempt of the window")
    window_ends_at = models.DateTimeField()
    count = models.PositiveIntegerField(help_text="refused attempts within the window")
    paths = models.JSONField(default=list, help_text="the requests refused, e.g. 'GET /cases/17/'")
    raised_at = models.DateTimeField()
    notified_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "window_starts_at"], name="one_access_concern_per_user_and_window"),
            models.CheckConstraint(
                name="access_concern_acknowledged_with_a_note",
                condition=Q(acknowledged_at__isnull=True) | ~Q(note=""),
            ),
        ]
        indexes = [models.Index(fields=["force"], condition=Q(acknowledged_at__isnull=True), name="open_concerns")]

    def __str__(self) -> str:
        return f"{self.count} refused attempts by {self.user.get_username()} from {self.window_starts_at:%d %b %Y}"


class OIDCIdentity(models.Model):
    """The force identity provider's person (issuer and subject) an account signs in as (accounts/oidc.py).

    Accounts are matched on this pair only, never on a username or e-mail address, so an identity
    provider account cannot take over a local account that shares its name."""

    user = models.OneToOneField(User, on_delete=models.PROTECT, related_name="oidc_identity")
    issuer = models.CharField(max_length=300)
    subject = models.CharField(max_length=255)
    signed_in_at = models.DateTimeField()
    # Set when the provider stopped accepting the person: the account is then inactive until the
    # provider vouches for them again at a sign-in (an account disabled here stays disabled).
    disabled_upstream_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "identity provider account"
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="one_account_per_oidc_subject")]

    def __str__(self) -> str:
        return f"{self.subject} at {self.issuer}"


class ApiTokenScope(models.TextChoices):
    READ = "read", "Read only"
    WRITE = "write", "Read and write"


class ApiToken(models.Model):
    """A key for the API, shown once when issued: only its SHA-256 is stored (a random 32-byte key needs
    no slow hash). Named, scoped, expiring and revocable; see docs/adr/0016."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="what it is for, e.g. 'force intelligence export'")
    scope = models.CharField(max_length=10, choices=ApiTokenScope.choices)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8, help_text="the key's first characters, to tell tokens apart")
    issued_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    # The issuer had passed two-factor sign-in (or issued it from the server's command line): with
    # REQUIRE_MFA on, a token issued without it is refused, as a password-only session is.
    issued_after_mfa = models.BooleanField()
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="api_token_expires_after_issue", condition=Q(expires_at__gt=models.F("issued_at"))
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AuditCheckpoint(models.Model):
    """The audit chain's head (last entry id and hash) as beat saw it: append-only, and the app's database
    role may only add rows, so a deleted tail, a rewritten chain or a truncation no longer verifies."""

    at = models.DateTimeField()
    entry_id = models.BigIntegerField()
    entry_hash = models.CharField(max_length=64)
    entries = models.BigIntegerField(help_text="entries in the log at the time")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} #{self.entry_id} {self.entry_hash[:12]}"


class EnrolmentCode(models.Model):
    """A one-time code an administrator issues so a user may enrol a second factor: without it, whoever
    learns the password first would get the authenticator secret. Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="enrolment_codes")
    code_hash = models.CharField(max_length=128)
    issued_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"enrolment code for {self.user.get_username()} ({self.issued_at:%d %b %Y})"
