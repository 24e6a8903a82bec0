"""One settings module, driven by the environment (strict parsing: a malformed value fails at start-up).

Unset DATABASE_URL → an embedded SQLite file under var/; unset REDIS_URL → Celery on kombu's
filesystem transport under var/, so the demo runs real worker and beat processes anywhere.
"""

from datetime import date, timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    """Strict: django-environ reads any unknown word as False, so "ture" would silently disable HTTPS."""
    raw = env.str(name, default=None)
    if raw is None:
        return default
    if raw.strip().lower() in _TRUE:
        return True
    if raw.strip().lower() in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean: use 1/0, true/false, yes/no or on/off.")


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-demo-key-only-for-debug-mode-" + "x" * 24
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The demo seeds well-known logins; refuse them outside DEBUG (ASVS v5.0.0-6.3.2).
DEMO_MODE = env_bool("DEMO_MODE", DEBUG)
if DEMO_MODE and not DEBUG:
    raise ImproperlyConfigured("DEMO_MODE (demo users with known passwords) needs DEBUG on.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_htmx",
    "csp",
    "accounts",
    "casework",
    "recording",
    "risk",
    "orders",
    "protocol",
]

MIDDLEWARE = [
    # Outermost: on an API path, any refusal from below answers the API's error shape.
    "config.errors.ApiErrorShapeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "accounts.middleware.NoStoreMiddleware",
    "accounts.middleware.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "accounts.middleware.MFARequiredMiddleware",
    "accounts.middleware.AuditContextMiddleware",
    "accounts.middleware.SignInThrottleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.oidc.OIDCRecheckMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
FORM_RENDERER = "config.forms.GovukFormRenderer"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "accounts.context_processors.navigation",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'casework.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections doubled throughput here (stack.md); health checks drop dead ones.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    # A file, not the shared-cache memory database: shared cache refuses concurrent writers at once ("table
    # is locked") instead of waiting, so tests that write from several threads could not run on SQLite.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- People, login, sessions --------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "accounts.oidc.ForceIdentityBackend",  # answers only the identity provider's callback
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Two-factor login for every account; the demo may turn it off.
REQUIRE_MFA = env_bool("REQUIRE_MFA", not DEBUG)
OTP_TOTP_ISSUER = env.str("OTP_TOTP_ISSUER", default="Stalking casework")
# API tokens expire this many days after issue (accounts/tokens.py).
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=30)
if API_TOKEN_DAYS < 1:
    raise ImproperlyConfigured("API_TOKEN_DAYS must be at least 1.")
# A code to enrol a second factor, issued by an administrator, works once within this many hours.
ENROLMENT_CODE_HOURS = env.int("ENROLMENT_CODE_HOURS", default=72)

# Sessions live in the database so a Redis outage never stops anyone logging in.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_MINUTES = env.int("SESSION_IDLE_MINUTES", default=30)
SESSION_ABSOLUTE_HOURS = env.int("SESSION_ABSOLUTE_HOURS", default=12)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
# Saved when it changes, and renewed (its expiry moved on) at most this often by a request that changes
# nothing (accounts.middleware.SessionLifetimeMiddleware), not on every request.
SESSION_RENEW_SECONDS = env.int("SESSION_RENEW_SECONDS", default=60)
if not 0 < SESSION_RENEW_SECONDS < SESSION_COOKIE_AGE:
    raise ImproperlyConfigured("SESSION_RENEW_SECONDS must be above 0 and below SESSION_IDLE_MINUTES.")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Lockout keyed on username and IP together: a stalker who knows an officer's username cannot
# lock her out from elsewhere. State in the database (axes' default handler).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=10))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Only trust X-Forwarded-For when a known number of proxies sits in front (ASVS v5.0.0-4.1.3).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "accounts.middleware.client_ip"
# Password spraying: failed sign-ins from one address, over all usernames, within the cool-off, after
# which that address may not try any password (accounts.middleware.SignInThrottleMiddleware).
LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", default=20)
AXES_WHITELIST_CALLABLE = "accounts.oidc.not_a_password_attempt"

# Sign-in with the force's identity provider (OpenID Connect; accounts/oidc.py, ADR 0017): on when
# OIDC_ISSUER is set. Local accounts with TOTP stay for small forces and the demo.
OIDC_ISSUER = env.str("OIDC_ISSUER", default="")  # discovery at <issuer>/.well-known/openid-configuration
OIDC_PROVIDER_NAME = env.str("OIDC_PROVIDER_NAME", default="your force account")
OIDC_RP_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_CLIENT_SECRET", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_SCOPES", default="openid profile email offline_access")
OIDC_USE_PKCE = True
OIDC_TIMEOUT = env.int("OIDC_TIMEOUT_SECONDS", default=10)
OIDC_GROUPS_CLAIM = env.str("OIDC_GROUPS_CLAIM", default="groups")
# {"<group>": {"role": "officer|supervisor|registrar", "unit": "<unit code>"}, ...}: the first group
# of the person's that is listed decides, so list the more senior groups first.
OIDC_GROUP_MAP = env.json("OIDC_GROUP_MAP") if env.str("OIDC_GROUP_MAP", default="") else {}
if not isinstance(OIDC_GROUP_MAP, dict) or not all(
    isinstance(place, dict) and set(place) == {"role", "unit"} for place in OIDC_GROUP_MAP.values()
):
    raise ImproperlyConfigured('OIDC_GROUP_MAP must be {"<group>": {"role": "...", "unit": "..."}, ...}.')
# RFC 8176 methods that prove a second factor; or an acr value the provider gives only after one.
OIDC_MFA_AMR = env.list("OIDC_MFA_AMR", default=[]) or ["mfa", "otp", "hwk", "swk", "sms", "fpt", "face"]
OIDC_MFA_ACR = env.list("OIDC_MFA_ACR", default=[])
OIDC_RECHECK_SECONDS = env.int("OIDC_RECHECK_SECONDS", default=300)
# Off: the claims come from the ID token only (Entra ID's userinfo answers only for Microsoft Graph tokens).
OIDC_USERINFO = env_bool("OIDC_USERINFO", True)
if OIDC_ISSUER and not (OIDC_RP_CLIENT_ID and OIDC_RP_CLIENT_SECRET and OIDC_GROUP_MAP):
    raise ImproperlyConfigured("OIDC_ISSUER needs OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_GROUP_MAP.")

# --- HTTPS and headers ----------------------------------------------------------------------------
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
if HTTPS:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Static files, uploads, e-mail ---------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str("STATICFILES_STORAGE", default="whitenoise.storage.CompressedManifestStaticFilesStorage")
    },
}
# Evidence is stored outside the web root and only ever served through an audited view.
MEDIA_ROOT = Path(env.str("EVIDENCE_ROOT", default=str(VAR_DIR / "evidence")))

# Evidence uploads (ASVS v5.0.0-5.1.1): the types accepted, judged by content, and the largest size.
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_MB", default=200) * 1024 * 1024
EVIDENCE_ALLOWED_TYPES = frozenset(
    {
        "image/jpeg", "image/png", "image/gif", "image/webp", "image/heic", "image/bmp", "image/tiff",
        "application/pdf",
        "audio/mpeg", "audio/mp4", "audio/aac", "audio/ogg", "audio/x-wav", "audio/amr", "audio/x-flac",
        "video/mp4", "video/quicktime", "video/3gpp", "video/webm", "video/x-m4v", "video/x-matroska",
        "video/x-msvideo",
        "text/plain",
    }
)  # fmt: skip
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# ClamAV's daemon scans each upload over this Unix socket when set (casework/services/antivirus.py);
# unset, uploads are accepted unscanned with a warning in the log.
CLAMD_SOCKET = env.str("CLAMD_SOCKET", default="")
CLAMD_TIMEOUT_SECONDS = env.float("CLAMD_TIMEOUT_SECONDS", default=30.0)

# Victims' Code: working days within which a victim is told of a development (domain.md §9.3;
# the 2020 Code's full event list is unconfirmed, so these are settings).
VICTIMS_CODE_ENHANCED_DAYS = env.int("VICTIMS_CODE_ENHANCED_DAYS", default=1)
VICTIMS_CODE_STANDARD_DAYS = env.int("VICTIMS_CODE_STANDARD_DAYS", default=5)

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="casework@localhost")
# Where links in e-mails point.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
# The range of a date on a police record, on every way in (config/input_contract.py).
RECORD_EARLIEST_YEAR = env.int("RECORD_EARLIEST_YEAR", default=1900)
RECORD_LATEST_DAYS_AHEAD = env.int("RECORD_LATEST_DAYS_AHEAD", default=366)
USE_I18N = True
USE_TZ = True

# --- API -----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first so an anonymous API call gets 401 with WWW-Authenticate, not 403.
        "accounts.api_auth.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "config.schema.TruthfulAutoSchema",
    "EXCEPTION_HANDLER": "config.errors.api_exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Stalking and harassment casework API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "ENUM_NAME_OVERRIDES": {
        "CaseStageEnum": "casework.choices.CaseStage",
        "RiskGradeEnum": "risk.choices.Grade",
        "ChannelEnum": "casework.choices.Channel",
        "PlaceEnum": "casework.choices.Place",
        "ConditionKindEnum": "orders.choices.ConditionKind",
        "SubstantiveDecisionEnum": "orders.choices.SubstantiveDecision",
        "BailAuthorityEnum": "orders.choices.BailAuthority",
        "ContactMethodEnum": "casework.choices.ContactMethod",
        "CaseDecisionKindEnum": "protocol.choices.CaseDecisionKind",
    },
}

# --- Celery --------------------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# Every command to Redis, a publish included, gives up after this long: a hung broker (it accepts the
# connection, then never answers) must not hold a web request; the send is logged and the sweeps
# catch up (casework.tasks.publish). Redis answers a healthy publish in a millisecond.
BROKER_SOCKET_TIMEOUT = env.float("BROKER_SOCKET_TIMEOUT", default=0.3)
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {
    "visibility_timeout": 3600,
    "socket_timeout": BROKER_SOCKET_TIMEOUT,
    "socket_connect_timeout": BROKER_SOCKET_TIMEOUT,
}
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
else:
    # Embedded transport: real worker and beat processes exchanging messages through files.
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("out", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A web request that queues a task must not hang when the broker is down: fail fast, log, and let
# the periodic sweep catch up (reconnecting, too, gives up within the socket timeout).
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_SOCKET_TIMEOUT
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
# PDF layout is slow (WeasyPrint, ~0.25 s a page): its own queue, so a long pack never holds up alerts.
CELERY_TASK_ROUTES = {"casework.tasks.document_render_task": {"queue": "documents"}}
# A document still "being prepared" after this is marked failed (its render was lost); well above the
# render's time limit, to allow for a queue of long packs on the single documents worker.
DOCUMENT_READY_WITHIN_MINUTES = env.int("DOCUMENT_READY_WITHIN_MINUTES", default=15)
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "accounts.tasks.heartbeat", "schedule": 60.0},
    "alert-sweep": {"task": "casework.tasks.alerts_sweep", "schedule": env.float("ALERT_SWEEP_SECONDS", default=300.0)},
    "alert-emails": {"task": "casework.tasks.alerts_notify", "schedule": 60.0},
    "alert-digest": {"task": "casework.tasks.alerts_daily_digest", "schedule": crontab(hour=7, minute=0)},
    "stale-documents": {"task": "casework.tasks.documents_give_up_stale_task", "schedule": 300.0},
    "unqueued-documents": {"task": "casework.tasks.documents_queue_unqueued_task", "schedule": 60.0},
    "access-concerns": {"task": "accounts.tasks.access_concerns_sweep", "schedule": 60.0},
    # The audit chain's head, kept where the app's database role cannot rewrite it (accounts/checkpoints.py).
    "audit-checkpoint": {
        "task": "accounts.tasks.audit_checkpoint",
        "schedule": env.float("AUDIT_CHECKPOINT_SECONDS", default=300.0),
    },
    # Time alone moves the escalation level: recomputed each night, local time (risk/tasks.py).
    "escalation-nightly": {
        "task": "risk.tasks.escalation_nightly_task",
        "schedule": crontab(hour=env.int("ESCALATION_NIGHTLY_HOUR", default=2), minute=30),
    },
    "breach-proposals": {
        "task": "orders.tasks.breach_proposals_sweep",
        "schedule": env.float("BREACH_PROPOSAL_SWEEP_SECONDS", default=900.0),
    },
}
# Deadlines the alert checks use (all local choices, so settings; domain.md §12).
VICTIM_FIRST_CONTACT_HOURS = env.int("VICTIM_FIRST_CONTACT_HOURS", default=24)
EVIDENCE_WARNING_DAYS = env.int("EVIDENCE_WARNING_DAYS", default=3)
CRIME_RECORD_DUE_HOURS = env.int("CRIME_RECORD_DUE_HOURS", default=24)
# Retention review (MoPI review groups, domain.md §11.2; the groups and periods are unconfirmed, so
# settings): years from finalising to the first review of a case, by group.
RETENTION_REVIEW_YEARS_PUBLIC_PROTECTION = env.int("RETENTION_REVIEW_YEARS_PUBLIC_PROTECTION", default=10)
RETENTION_REVIEW_YEARS_SERIOUS = env.int("RETENTION_REVIEW_YEARS_SERIOUS", default=10)
RETENTION_REVIEW_YEARS_OTHER = env.int("RETENTION_REVIEW_YEARS_OTHER", default=6)
# Risk (domain.md §1.3, §12; local SLAs, so settings): hours to the first assessment, grade bands,
# days between reviews by grade, hours for a supervisor to sign off a high-risk assessment.
RISK_ASSESSMENT_DUE_HOURS = env.int("RISK_ASSESSMENT_DUE_HOURS", default=24)
RISK_GRADE_MEDIUM_FROM = env.int("RISK_GRADE_MEDIUM_FROM", default=10)
RISK_GRADE_HIGH_FROM = env.int("RISK_GRADE_HIGH_FROM", default=14)
RISK_REVIEW_DAYS = {
    "high": env.int("RISK_REVIEW_DAYS_HIGH", default=7),
    "medium": env.int("RISK_REVIEW_DAYS_MEDIUM", default=28),
    "standard": env.int("RISK_REVIEW_DAYS_STANDARD", default=56),
}
RISK_SIGN_OFF_HOURS = env.int("RISK_SIGN_OFF_HOURS", default=24)
RISK_REVIEW_BROUGHT_FORWARD_WORKING_HOURS = env.int("RISK_REVIEW_BROUGHT_FORWARD_WORKING_HOURS", default=24)
# Repeat victim / repeat suspect: this many reports about her (against him) within this many days, in
# this case or any other (casework.services.cases.case_flags_refresh).
REPEAT_MIN_REPORTS = env.int("REPEAT_MIN_REPORTS", default=2)
REPEAT_WINDOW_DAYS = env.int("REPEAT_WINDOW_DAYS", default=365)
MARAC_ESCALATION_CALLOUTS = env.int("MARAC_ESCALATION_CALLOUTS", default=3)
VICTIM_REFERRAL_DUE_DAYS = env.int("VICTIM_REFERRAL_DUE_DAYS", default=2)
PASSED_ON_REVIEW_HOURS = env.int("PASSED_ON_REVIEW_HOURS", default=24)
# Protection (domain.md §5, §6, §12). Days after service within which the respondent must notify name
# and address, by order type (SPO s.9: 3; the DAPO period is unconfirmed, so configurable).
ORDER_NOTIFICATION_DAYS = {
    "interim_spo": env.int("SPO_NOTIFICATION_DAYS", default=3),
    "spo": env.int("SPO_NOTIFICATION_DAYS", default=3),
    "dapo": env.int("DAPO_NOTIFICATION_DAYS", default=3),
}
# Days before expiry to warn: an SPO's renewal needs a court application, so well ahead.
ORDER_EXPIRY_WARNING_DAYS = {
    "default": env.int("ORDER_EXPIRY_WARNING_DAYS", default=28),
    "spo": env.int("SPO_EXPIRY_WARNING_DAYS", default=90),
    "interim_spo": env.int("INTERIM_SPO_EXPIRY_WARNING_DAYS", default=14),
    "dvpo": env.int("DVPO_EXPIRY_WARNING_DAYS", default=7),
}
BAIL_EXPIRY_WARNING_DAYS = env.int("BAIL_EXPIRY_WARNING_DAYS", default=7)
# Longest pre-charge bail each authority may set, in months from the bail start (PCSC Act 2022:
# custody officer 3, inspector 6, superintendent 9; beyond that only a magistrates' court).
BAIL_LIMIT_MONTHS = {
    "custody_officer": env.int("BAIL_LIMIT_MONTHS_CUSTODY_OFFICER", default=3),
    "inspector": env.int("BAIL_LIMIT_MONTHS_INSPECTOR", default=6),
    "superintendent": env.int("BAIL_LIMIT_MONTHS_SUPERINTENDENT", default=9),
}
# Working days within which the victim must be told of an order or bail change (Victims' Code, enhanced).
VICTIM_NOTICE_WORKING_DAYS = env.int("VICTIM_NOTICE_WORKING_DAYS", default=1)
CHARGE_ACT_WITHIN_DAYS = env.int("CHARGE_ACT_WITHIN_DAYS", default=2)  # days to charge once the CPS authorises it
# Offences the police may charge themselves (DG6 Annex 1), as protocol.choices.Offence values, comma-separated.
# Empty by default: DG6 sends every stalking or harassment case to the CPS (domain.md §7.4).
POLICE_MAY_CHARGE_OFFENCES = frozenset(env.list("POLICE_MAY_CHARGE_OFFENCES", default=[]))


# Legacy warning notices (PINs) dated on or after this day are recorded only with a reason a registrar
# reviews (ADR 0003). Unset: the day the force's first case was opened here (when the product went live).
def env_date(name: str) -> date | None:
    raw = env.str(name, default="").strip()
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a date: use YYYY-MM-DD.") from exc


LEGACY_NOTICE_CUTOFF = env_date("LEGACY_NOTICE_CUTOFF")
# Days after a completed assessment meets a MARAC criterion by which the referral should be recorded.
MARAC_REFERRAL_DUE_DAYS = env.int("MARAC_REFERRAL_DUE_DAYS", default=1)
# Refused attempts (404s to a signed-in user, audited): this many by one user within this many minutes
# raise an access concern for the registrars of the user's force.
REFUSED_ACCESS_ALERT_COUNT = env.int("REFUSED_ACCESS_ALERT_COUNT", default=10)
REFUSED_ACCESS_WINDOW_MINUTES = env.int("REFUSED_ACCESS_WINDOW_MINUTES", default=60)
# /healthz calls beat stale after this many seconds without a tick.
BEAT_STALE_AFTER_SECONDS = env.int("BEAT_STALE_AFTER_SECONDS", default=180)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
