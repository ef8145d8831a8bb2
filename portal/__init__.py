"""Doorstep: a self-service prospect portal for apartment communities."""

from importlib import metadata

from flask import Flask

from portal import links, security_headers, static_assets
from portal.config import INSTANCE_DIR, PROJECT_DIR, check_config, config_for_environment

try:
    __version__ = metadata.version("doorstep-portal")
except metadata.PackageNotFoundError:  # running from a checkout without install
    __version__ = "0.0.0+local"


def create_app(config: dict | None = None) -> Flask:
    """Build the application. ``config`` overrides any setting (tests pass a dict)."""
    app = Flask(__name__, instance_path=str(INSTANCE_DIR))
    app.config.from_object(config_for_environment())
    if config:
        app.config.update(config)
    check_config(app.config)
    app.config.setdefault("VERSION", __version__)

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    links.register(app)
    security_headers.register(app)
    static_assets.register(app)
    return app


def register_extensions(app: Flask) -> None:
    from portal import models  # noqa: F401  (every model joins the metadata)
    from portal.auth import session as staff_session
    from portal.auth.session import load_user
    from portal.extensions import compress, csrf, db, limiter, login_manager, migrate
    from portal.followups.enrolment import register as register_followups
    from portal.input_limits import register as register_input_limits
    from portal.listings.catalogue_version import register as register_catalogue_version
    from portal.listings.neighbourhoods import register as register_neighbourhood_precompute
    from portal.mail.delivery import register as register_outbox_delivery
    from portal.sqlite import register_sqlite_pragmas
    from portal.studio.insights_sql import register_sqlite_functions
    from portal.studio.lead_upkeep import register_lead_upkeep

    register_input_limits(app)  # before the blueprints: their rules use its converters
    db.init_app(app)
    # Batch mode lets later migrations ALTER tables on SQLite too.
    migrate.init_app(
        app,
        db,
        directory=str(PROJECT_DIR / "migrations"),
        render_as_batch=True,
        compare_type=True,
        include_object=models.include_search_index,
    )
    csrf.init_app(app)
    compress.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.user_loader(load_user)
    staff_session.register(app)
    register_outbox_delivery(app)
    register_neighbourhood_precompute(app)
    register_catalogue_version(app)
    register_followups(app)
    register_sqlite_pragmas()
    register_sqlite_functions()
    register_lead_upkeep()


def register_blueprints(app: Flask) -> None:
    from portal.api.views import bp as api_bp
    from portal.auth.views import bp as auth_bp
    from portal.destinations.views import bp as destinations_bp
    from portal.home.views import bp as home_bp
    from portal.listings.views import bp as listings_bp
    from portal.prospects.views import bp as prospects_bp
    from portal.staff.views import bp as staff_bp
    from portal.studio.public_views import bp as studio_public_bp
    from portal.studio.views import bp as studio_bp
    from portal.tours.views import bp as tours_bp

    app.register_blueprint(home_bp)
    app.register_blueprint(listings_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(studio_bp)
    app.register_blueprint(studio_public_bp)
    app.register_blueprint(prospects_bp)
    app.register_blueprint(destinations_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(tours_bp)
    if app.config.get("DEV_OUTBOX"):
        from portal.devtools.views import bp as devtools_bp

        app.register_blueprint(devtools_bp)


def register_errorhandlers(app: Flask) -> None:
    from portal.errors import register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from portal import templating
    from portal.destinations import templating as destinations_templating
    from portal.followups import templating as followups_templating
    from portal.prospects import templating as prospects_templating
    from portal.staff import day_section
    from portal.tours import templating as tours_templating

    templating.register(app)
    destinations_templating.register(app)
    followups_templating.register(app)
    prospects_templating.register(app)
    tours_templating.register(app)
    day_section.register(app)


def register_commands(app: Flask) -> None:
    from portal.cli import register

    register(app)
