"""Configuration read from the environment, with development defaults.

Nothing here needs the network: with no variables set the portal runs on a SQLite
file under ``instance/`` and the data files shipped in ``portal/data``.
"""

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
INSTANCE_DIR = PROJECT_DIR / "instance"


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

    ENV_NAME = os.environ.get("PORTAL_ENV", "development")
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL")
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
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
    SESSION_COOKIE_HTTPONLY = True
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
    # rq (needs REDIS_URL), thread (in-process) or sync (tests); default: rq if Redis is set.
    JOBS_BACKEND = os.environ.get("JOBS_BACKEND")
    DEV_OUTBOX = False
    # Tours: links in mail sent outside a request (cron reminders) start with this.
    PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:5000")
    # Live video tours get a unique room under this meeting server (e.g. a Jitsi server).
    TOUR_VIDEO_BASE_URL = os.environ.get("TOUR_VIDEO_BASE_URL", "https://meet.jit.si")
    TOUR_REMINDER_MINUTES = (24 * 60, 60)  # reminders this many minutes before a tour
    TOUR_ACCESS_CODE_LEAD_MINUTES = 60  # self-guided door code shown this long before


class DevelopmentConfig(Config):
    DEBUG = False
    DEV_OUTBOX = True
    SECRET_KEY = Config.SECRET_KEY or "dev-only-not-secret"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-only-not-secret"  # noqa: S105  (tests only; production has no default)
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    REDIS_URL = None
    JOBS_BACKEND = "sync"
    DEV_OUTBOX = True
    # Tests create hundreds of properties; the precompute on save has tests of its own.
    GEO_NEIGHBOURHOOD_ON_SAVE = False


def config_for_environment() -> type[Config]:
    return {"production": ProductionConfig, "test": TestConfig}.get(
        Config.ENV_NAME, DevelopmentConfig
    )
