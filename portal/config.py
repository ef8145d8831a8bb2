"""Configuration read from the environment, with development defaults.

Nothing here needs the network: with no variables set the portal runs on a SQLite
file under ``instance/`` and the data files shipped in ``portal/data``.

It fails closed: ``PORTAL_ENV`` names one of ``ENVIRONMENTS`` or the portal refuses to
start, and production refuses to start without its secrets and public address. The
test settings live in ``tests/conftest.py``; no environment variable reaches them.
"""

import os
from collections.abc import Mapping
from pathlib import Path

from portal.redis_client import client_options

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
INSTANCE_DIR = PROJECT_DIR / "instance"
ENVIRONMENTS = ("development", "production")
_DEVELOPMENT_SECRET_KEY = "dev-only-not-secret"  # noqa: S105  (development only, refused in production)


class ConfigurationError(RuntimeError):
    """The settings would run the portal unsafely, so it does not start."""


def _host_list(value: str | None) -> list[str] | None:
    """A comma-separated ``TRUSTED_HOSTS`` value as Flask wants it (None when unset)."""
    hosts = [host.strip() for host in (value or "").split(",") if host.strip()]
    return hosts or None


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'portal.sqlite3'}"
    # Hosted platforms hand out postgres:// URLs; SQLAlchemy wants the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    """Production-safe defaults; development conveniences are switched on by ``PORTAL_ENV``."""

    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL")
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Flask-Compress on pages and JSON: Brotli at a cheap level, else gzip (README "Speed").
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_BR_LEVEL = 4
    COMPRESS_STREAMS = False
    # Redis down or hung: count limits in this process instead (logged), and give up on a
    # Redis call after this many seconds rather than holding the request (README "Redis").
    REDIS_TIMEOUT_SECONDS = float(os.environ.get("REDIS_TIMEOUT_SECONDS", "0.5"))
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_STORAGE_OPTIONS = client_options(REDIS_TIMEOUT_SECONDS)
    # On unless RATELIMIT_ENABLED=0 (the booking race benchmark sends 200 bookings from one IP).
    RATELIMIT_ENABLED = os.environ.get("RATELIMIT_ENABLED", "1") != "0"
    LISTINGS_PER_PAGE = 12
    DEMO_PBF = str(PACKAGE_DIR / "data" / "demo" / "helsinki.osm.pbf")
    # Geography (portal.geo.settings.GeoSettings reads these; README "Commute and neighbourhood").
    GEO_DATA_DIR = os.environ.get("GEO_DATA_DIR", str(INSTANCE_DIR / "geo"))
    GEO_DEMO_REGION = "helsinki"
    GEO_ROUTING = os.environ.get("GEO_ROUTING", "bindings")  # or "http" with GEO_OSRM_URLS
    GEO_OSRM_URLS = {
        mode: os.environ[f"GEO_OSRM_{mode.upper()}_URL"]
        for mode in ("walk", "bike", "drive")
        if os.environ.get(f"GEO_OSRM_{mode.upper()}_URL")
    }
    GEO_GEOCODER = os.environ.get("GEO_GEOCODER", "local")  # or nominatim, photon, pelias...
    GEO_GEOCODER_OPTIONS: dict = {}  # e.g. {"domain": "nominatim.internal", "scheme": "http"}
    GEO_TRANSIT_HEADWAY_MIN: dict = {}  # per mode, overrides portal.geo.settings defaults
    GEO_TRANSIT_SPEED_KMH: dict = {}
    GEO_WALKABILITY: dict = {}  # overrides of portal.geo.walkability.WalkabilityFormula
    GEO_NEIGHBOURHOOD_ON_SAVE = True  # precompute a saved or moved property's neighbourhood
    MAP_TILE_URL = os.environ.get("MAP_TILE_URL")  # none: streets drawn from imported data
    # Studio uploads (README "Studio"): stored here, outside the static tree, served by
    # /media/<key>/<width>.<ext>; refused above these sizes.
    MEDIA_DIR = os.environ.get("MEDIA_DIR", str(INSTANCE_DIR / "media"))
    MEDIA_MAX_UPLOAD_MB = float(os.environ.get("MEDIA_MAX_UPLOAD_MB", "15"))
    MEDIA_MAX_MEGAPIXELS = int(os.environ.get("MEDIA_MAX_MEGAPIXELS", "40"))
    # Video embeds are taken from these hosts only (https, their embed paths).
    STUDIO_EMBED_HOSTS = ("www.youtube-nocookie.com", "www.youtube.com", "player.vimeo.com")
    SESSION_COOKIE_HTTPONLY = True
    # Staff sessions end after this long without a request, and this long after sign-in
    # whatever happens (checked on the server from the signed session; portal/auth/session.py).
    STAFF_SESSION_IDLE_MINUTES = int(os.environ.get("STAFF_SESSION_IDLE_MINUTES", "30"))
    STAFF_SESSION_MAX_HOURS = int(os.environ.get("STAFF_SESSION_MAX_HOURS", "12"))
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # a booking form left open overnight must still submit
    # Email: without MAIL_SMTP_HOST, mail stays in the outbox (readable at /dev/outbox
    # in development); with it, a background job delivers after each commit.
    MAIL_SMTP_HOST = os.environ.get("MAIL_SMTP_HOST")
    MAIL_SMTP_PORT = int(os.environ.get("MAIL_SMTP_PORT", "25"))
    MAIL_SMTP_USERNAME = os.environ.get("MAIL_SMTP_USERNAME")
    MAIL_SMTP_PASSWORD = os.environ.get("MAIL_SMTP_PASSWORD")
    MAIL_SMTP_STARTTLS = os.environ.get("MAIL_SMTP_STARTTLS") == "1"
    MAIL_FROM = os.environ.get("MAIL_FROM", "Doorstep <hello@doorstep.example>")
    # The right-hand side of every Message-ID; default: the domain of MAIL_FROM.
    MAIL_MESSAGE_ID_DOMAIN = os.environ.get("MAIL_MESSAGE_ID_DOMAIN")
    MAIL_SMTP_TIMEOUT = float(os.environ.get("MAIL_SMTP_TIMEOUT", "10"))
    # A sender claims this many due messages at a time and holds them for the lease; a
    # row still "sending" after its lease was left by a crashed sender and is sent again.
    MAIL_BATCH_SIZE = int(os.environ.get("MAIL_BATCH_SIZE", "100"))
    MAIL_LEASE_SECONDS = int(os.environ.get("MAIL_LEASE_SECONDS", "300"))
    # Staff see a warning when more due messages than this wait (SMTP down or too slow).
    MAIL_BACKLOG_WARNING = int(os.environ.get("MAIL_BACKLOG_WARNING", "50"))
    # Follow-ups (README "Follow-ups"): caps per prospect across all plans, the SMS
    # provider, and when staff pages warn that due messages pile up.
    FOLLOWUPS_WEEKLY_CAP = int(os.environ.get("FOLLOWUPS_WEEKLY_CAP", "3"))
    FOLLOWUPS_DAILY_CAP = int(os.environ.get("FOLLOWUPS_DAILY_CAP", "1"))
    FOLLOWUPS_SMS_PROVIDER = os.environ.get("FOLLOWUPS_SMS_PROVIDER", "dev")
    FOLLOWUPS_BACKLOG_WARNING = int(os.environ.get("FOLLOWUPS_BACKLOG_WARNING", "20"))
    FOLLOWUPS_BACKLOG_MINUTES = int(os.environ.get("FOLLOWUPS_BACKLOG_MINUTES", "15"))
    FOLLOWUPS_BACKLOG_RECOUNT_SECONDS = float(
        os.environ.get("FOLLOWUPS_BACKLOG_RECOUNT_SECONDS", "30")
    )
    # rq (needs REDIS_URL), thread (in-process) or sync (tests); default: rq if Redis is set.
    JOBS_BACKEND = os.environ.get("JOBS_BACKEND")
    DEV_OUTBOX = False
    # Every absolute link (mail, calendar files, API answers, jobs) starts with this,
    # never with the request's Host (portal/links.py).
    PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:5000")
    # Hosts the portal answers for; others get 400. Unset: the host of PORTAL_BASE_URL
    # (plus 127.0.0.1 and localhost in development).
    TRUSTED_HOSTS = _host_list(os.environ.get("TRUSTED_HOSTS"))
    # Live video tours get a unique room under this meeting server (e.g. a Jitsi server).
    TOUR_VIDEO_BASE_URL = os.environ.get("TOUR_VIDEO_BASE_URL", "https://meet.jit.si")
    TOUR_REMINDER_MINUTES = (24 * 60, 60)  # reminders this many minutes before a tour
    TOUR_ACCESS_CODE_LEAD_MINUTES = 60  # self-guided door code shown this long before
    # Booking limits, shared by the booking page and the API (README "Booking limits"):
    # rates in Flask-Limiter's notation, counted in its storage (Redis when configured).
    TOUR_BOOKING_LIMIT_PER_CLIENT = os.environ.get(
        "TOUR_BOOKING_LIMIT_PER_CLIENT", "10/hour;30/day"
    )
    TOUR_BOOKING_LIMIT_PER_EMAIL = os.environ.get("TOUR_BOOKING_LIMIT_PER_EMAIL", "5/hour;10/day")
    TOUR_BOOKING_LIMIT_PER_LISTING = os.environ.get("TOUR_BOOKING_LIMIT_PER_LISTING", "40/day")
    TOUR_OPEN_TOURS_PER_EMAIL = 3  # upcoming active tours one email address may hold
    # Instant tours for an address nobody confirmed ("capped" properties), then by link:
    TOUR_UNVERIFIED_INSTANT_PER_EMAIL = 2  # upcoming such tours per email address
    TOUR_UNVERIFIED_INSTANT_PER_DAY = 8  # such tours per tour type and local day
    TOUR_UNVERIFIED_HOLD_MINUTES = 120  # how long such a request holds its time, at most
    # Security headers on every response (portal/security_headers.py); HSTS only when > 0.
    SECURITY_HEADERS_ENABLED = True
    HSTS_SECONDS = 0


class DevelopmentConfig(Config):
    DEBUG = False
    DEV_OUTBOX = True
    SECRET_KEY = Config.SECRET_KEY or _DEVELOPMENT_SECRET_KEY


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    # No default: every absolute link must point at the real public address.
    PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL")
    HSTS_SECONDS = 365 * 24 * 3600


def config_for_environment(name: str | None = None) -> type[Config]:
    """The settings class for ``name`` (default: ``PORTAL_ENV``, else development).

    :raises ConfigurationError: for any other name (``prod``, ``Production``, ``test``...):
        a typo must not start the portal with development keys and tools switched on.
    """
    if name is None:
        name = os.environ.get("PORTAL_ENV", "development")
    classes = {"development": DevelopmentConfig, "production": ProductionConfig}
    if name not in classes:
        raise ConfigurationError(
            f"PORTAL_ENV={name!r} is not an environment Doorstep knows; "
            f"set it to one of: {', '.join(ENVIRONMENTS)} (see README.md)."
        )
    return classes[name]


def check_config(config: Mapping) -> None:
    """Refuse to start with settings that would sign or link insecurely.

    :raises ConfigurationError: no ``SECRET_KEY``; in production also the development
        key, or no ``PORTAL_BASE_URL``.
    """
    if not config.get("SECRET_KEY"):
        raise ConfigurationError("SECRET_KEY must be set outside development (see README.md).")
    if config.get("ENV_NAME") != "production":
        return
    if config["SECRET_KEY"] == _DEVELOPMENT_SECRET_KEY:
        raise ConfigurationError("SECRET_KEY is the development key; set a secret one.")
    if not config.get("PORTAL_BASE_URL"):
        raise ConfigurationError(
            "PORTAL_BASE_URL must be set in production: the public address every link in "
            "mail and API answers starts with, e.g. https://homes.example.com."
        )
