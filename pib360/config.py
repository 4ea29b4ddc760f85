"""Settings for pib360, read from environment variables.

`create_app()` picks a class by `PIB360_CONFIG` (development, testing, production) or
FLASK_DEBUG; every setting here may also be overridden by the `overrides` mapping.
"""

import os
from datetime import timedelta

DEV_SECRET_KEY = "dev-only-not-secret"


def _bool(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    # Without it, create_app uses a SQLite file in the instance folder.
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    # Seconds a SQLite connection waits for another writer before giving up.
    SQLITE_BUSY_TIMEOUT = 15

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "pib360 <noreply@localhost>")
    # Flask-Mail sets no socket timeout of its own; a hung SMTP server must not hang us.
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "20"))
    # Print delivered mail and list it at /dev/outbox instead of (or as well as) SMTP.
    MAIL_CONSOLE = False
    # Retry a failed message after 1, 2, 4, ... minutes, at most this many times.
    MAIL_MAX_ATTEMPTS = 8
    # Deliver right after a response that queued mail (cron picks up whatever is left).
    MAIL_DELIVER_AFTER_REQUEST = True
    # Keep the body of a sent message that carries a secret link (development only).
    MAIL_KEEP_SECRET_BODIES = False

    # A closed round's report page and files are rendered by the background job; a
    # request that finds one missing says it is being prepared. Development and the tests
    # render a missing one in the request instead (nobody runs the job there).
    REPORTS_RENDER_ON_REQUEST = False
    # Closed rounds are deleted this many months after closing (a notice goes a month ahead).
    RETENTION_MONTHS = int(os.environ.get("PIB360_RETENTION_MONTHS", "60"))

    PIB360_BASE_URL = os.environ.get("PIB360_BASE_URL", "http://127.0.0.1:5000")
    PIB360_ALLOW_REGISTRATION = _bool("PIB360_ALLOW_REGISTRATION", True)
    PASSWORD_RESET_MAX_AGE = timedelta(hours=2)
    # Reset links one address may ask for (each is a mail to someone's inbox).
    PASSWORD_RESET_LIMIT = "10 per hour"
    # werkzeug's default: scrypt, about 0.2 s and 32 MB per hash, on purpose.
    PASSWORD_HASH_METHOD = "scrypt"

    # Failed logins: refuse after this many per account or per address in the window.
    LOGIN_FAILURE_LIMIT = "5 per 15 minutes"  # per account
    # Per address: higher, since one office may log in from behind one address.
    LOGIN_ADDRESS_FAILURE_LIMIT = "20 per 15 minutes"
    # The login throttle gives a successful attempt back: that needs counters that can go
    # down, as the fixed window's do.
    RATELIMIT_STRATEGY = "fixed-window"
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = False

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    LANGUAGES = ("nl", "en")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    # Flask-WTF's HTTPS check wants a Referer from our own site, but every page says
    # Referrer-Policy: no-referrer (survey links carry tokens). The token and SameSite
    # cookies already stop cross-site posts.
    WTF_CSRF_SSL_STRICT = False
    MAX_CONTENT_LENGTH = 1024 * 1024  # the largest form is a CSV of 200 addresses
    # How many reverse proxies in front of pib360 set X-Forwarded-For/-Proto/-Host; without
    # this every request seems to come from the proxy, and the login throttle would count
    # everybody's failures together.
    PROXY_HOPS = int(os.environ.get("PIB360_PROXY_HOPS", "0"))
    HSTS = False

    # Norms appear in reports once this many advisors have client figures (never below
    # 20: create_app refuses a lower value). Kept as text here; create_app checks it.
    PIB360_NORM_MIN_ADVISORS = os.environ.get("PIB360_NORM_MIN_ADVISORS", "30")


class DevelopmentConfig(Config):
    """Local use: SQLite file, mail shown in the console and at /dev/outbox."""

    DEBUG = True
    MAIL_CONSOLE = _bool("MAIL_CONSOLE", True)
    # So a person trying pib360 locally can click the survey links at /dev/outbox.
    MAIL_KEEP_SECRET_BODIES = True
    REPORTS_RENDER_ON_REQUEST = True


class TestingConfig(Config):
    """The test suite: fixtures pass the database URL and the SMTP port."""

    TESTING = True
    SECRET_KEY = "testing-secret-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_STORAGE_URI = "memory://"
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 1  # nothing listens: a test that forgets the SMTP fixture fails loudly
    MAIL_TIMEOUT = 5
    MAIL_SUPPRESS_SEND = False  # Flask-Mail would otherwise swallow mail when TESTING
    PIB360_BASE_URL = "http://localhost"
    # Hundreds of tests log in: a cheap hash keeps the suite fast. Tests about hashing
    # cost (the login throttle, the SQLite write lock) set scrypt back explicitly.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    # Most tests read a report right after making a closed round; the tests of the
    # background job and of "being prepared" turn this off.
    REPORTS_RENDER_ON_REQUEST = True


class ProductionConfig(Config):
    """Behind gunicorn, over HTTPS, with PostgreSQL and a real SMTP server."""

    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS = True
    PIB360_ALLOW_REGISTRATION = _bool("PIB360_ALLOW_REGISTRATION", False)


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
