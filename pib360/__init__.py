"""pib360: 360-degree feedback for professional advisors."""

import os
from pathlib import Path

from flask import Flask

from pib360.paths import PACKAGE, ROOT

__all__ = ["PACKAGE", "ROOT", "create_app"]


def create_app(overrides: dict | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, CLI and error pages."""
    app = Flask(
        __name__,
        instance_path=instance_path(),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    register_config(app, overrides or {})
    register_extensions(app)
    register_url_converters(app)
    register_blueprints(app)
    register_hooks(app)
    register_cli(app)
    return app


def instance_path() -> str | None:
    """PIB360_INSTANCE_PATH, else instance/ in a checkout; for an installed package, None
    lets Flask choose <prefix>/var/pib360-instance (the prefix of its virtual environment)."""
    if path := os.environ.get("PIB360_INSTANCE_PATH"):
        return os.path.abspath(path)
    return str(ROOT / "instance") if ROOT == PACKAGE.parent else None


def register_config(app: Flask, overrides: dict) -> None:
    """Load the settings class named by PIB360_CONFIG, then the overrides."""
    from pib360.config import CONFIGS, DEV_SECRET_KEY

    default = "development" if app.debug else "production"
    name = overrides.get("PIB360_CONFIG") or os.environ.get("PIB360_CONFIG", default)
    if name not in CONFIGS:
        raise RuntimeError(f"PIB360_CONFIG={name!r}: choose one of {', '.join(CONFIGS)}")
    app.config.from_object(CONFIGS[name])
    app.config.update(overrides)
    app.config["PIB360_CONFIG"] = name
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        app.config["SQLALCHEMY_DATABASE_URI"] = instance_database(app)
    if name == "production" and app.config["SECRET_KEY"] in (None, "", DEV_SECRET_KEY):
        raise RuntimeError(
            "pib360 refuses to start in production without a secret key: set the SECRET_KEY"
            " environment variable to a long random value, for example the output of"
            " `python -c 'import secrets; print(secrets.token_hex(32))'`."
        )
    app.config["PIB360_NORM_MIN_ADVISORS"] = norm_min_advisors(app.config)
    if name == "production" and app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        app.logger.warning(
            "RATELIMIT_STORAGE_URI is memory://: each worker counts failed logins on its "
            "own. Set it to a Redis URL so all workers share one count."
        )
    from pib360.database import engine_options

    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", engine_options(app.config))


def norm_min_advisors(config) -> int:
    """PIB360_NORM_MIN_ADVISORS as a whole number of at least the floor, or a clear refusal."""
    from pib360.domain.versions import NORM_FLOOR

    value = config.get("PIB360_NORM_MIN_ADVISORS", 30)
    try:
        number = int(str(value).strip())
    except ValueError:
        number = None
    if number is None or number < NORM_FLOOR:
        raise RuntimeError(
            f"PIB360_NORM_MIN_ADVISORS={value!r}: the norm must rest on at least {NORM_FLOOR} "
            f"advisors, so that no advisor's figures can be told from it; set a whole number "
            f"of {NORM_FLOOR} or more (default 30)."
        )
    return number


def instance_database(app: Flask) -> str:
    """Without DATABASE_URL: a SQLite file in the instance folder, made if missing."""
    os.makedirs(app.instance_path, exist_ok=True)
    return f"sqlite:///{Path(app.instance_path) / 'pib360.sqlite'}"


def register_extensions(app: Flask) -> None:
    """Bind every extension to this app."""
    from pib360 import i18n
    from pib360.extensions import babel, csrf, db, limiter, mail, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    mail.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=str(ROOT / "translations"),
    )
    from pib360.auth import login as auth_login

    auth_login.init_app(app)
    from pib360.database import init_sqlite

    init_sqlite(app)


def register_url_converters(app: Flask) -> None:
    """Bounded integers in URLs; before the blueprints, whose routes use them."""
    from pib360 import routing

    routing.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Mount every feature."""
    from pib360.admin import bp as admin_bp
    from pib360.auth import bp as auth_bp
    from pib360.coach import bp as coach_bp
    from pib360.dev import bp as dev_bp
    from pib360.main import bp as main_bp
    from pib360.plans import bp as plans_bp
    from pib360.privacy import bp as privacy_bp
    from pib360.quality import bp as quality_bp
    from pib360.reports import bp as reports_bp
    from pib360.rounds import bp as rounds_bp
    from pib360.sharing import bp as sharing_bp
    from pib360.survey import bp as survey_bp
    from pib360.trend import bp as trend_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(rounds_bp, url_prefix="/rounds")
    app.register_blueprint(survey_bp)
    app.register_blueprint(reports_bp, url_prefix="/reports")
    app.register_blueprint(trend_bp, url_prefix="/trend")
    app.register_blueprint(plans_bp, url_prefix="/plans")
    app.register_blueprint(quality_bp, url_prefix="/quality")
    app.register_blueprint(sharing_bp, url_prefix="/sharing")
    app.register_blueprint(coach_bp, url_prefix="/coach")
    app.register_blueprint(auth_bp, url_prefix="/account")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(dev_bp, url_prefix="/dev")
    app.register_blueprint(privacy_bp)


def register_hooks(app: Flask) -> None:
    """Response headers, template helpers, mail after the response, error pages."""
    from pib360 import errors, i18n, resilience, security, templating
    from pib360 import mail as outbox

    if app.config["PROXY_HOPS"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    security.init_app(app)
    i18n.init_app(app)
    errors.init_app(app)
    resilience.init_app(app)
    templating.init_app(app)
    outbox.init_app(app)


def register_cli(app: Flask) -> None:
    """The `flask pib360 ...` commands."""
    from pib360.cli import pib360_cli

    app.cli.add_command(pib360_cli)
