"""Settings come from environment variables; production refuses unsafe ones."""

import importlib
import re

import pytest
from sqlalchemy.engine import make_url

from pib360 import ROOT, config, create_app
from pib360.extensions import db
from tests.conftest import IsolatedClient
from tests.helpers import PASSWORD, make_user

SETTINGS = ("PIB360_CONFIG", "SECRET_KEY", "DATABASE_URL", "MAIL_SERVER", "MAIL_PORT",
            "MAIL_USE_TLS", "MAIL_CONSOLE", "PIB360_ALLOW_REGISTRATION", "FLASK_DEBUG",
            "PIB360_INSTANCE_PATH")


@pytest.fixture
def environment(monkeypatch):
    """Set environment variables as an operator would before starting pib360."""

    def set_environment(**variables):
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        importlib.reload(config)  # settings are read when the module is loaded

    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    importlib.reload(config)
    yield set_environment
    monkeypatch.undo()
    importlib.reload(config)


def database_path(app) -> str:
    return make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database


def test_development_by_default_uses_a_sqlite_file_in_the_instance_folder(environment):
    environment(PIB360_CONFIG="development")
    app = create_app()
    assert app.debug and app.config["MAIL_CONSOLE"] and app.config["MAIL_KEEP_SECRET_BODIES"]
    assert make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() == "sqlite"
    assert database_path(app) == str(ROOT / "instance" / "pib360.sqlite")


def test_the_instance_folder_is_chosen_by_pib360_instance_path(environment, tmp_path):
    environment(PIB360_CONFIG="development", PIB360_INSTANCE_PATH=str(tmp_path / "var"))
    app = create_app()
    assert app.instance_path == str(tmp_path / "var")
    assert database_path(app) == str(tmp_path / "var" / "pib360.sqlite")
    assert (tmp_path / "var").is_dir()  # so SQLite can create the file there


def test_flask_debug_alone_means_development(environment):
    environment(FLASK_DEBUG="1")
    assert create_app().config["PIB360_CONFIG"] == "development"


def test_settings_are_read_from_the_environment(environment, tmp_path):
    environment(PIB360_CONFIG="production", SECRET_KEY="s3cr3t" * 8,
                DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite'}",
                MAIL_SERVER="smtp.example.com", MAIL_PORT="587", MAIL_USE_TLS="yes",
                PIB360_ALLOW_REGISTRATION="true")
    app = create_app()
    assert app.config["SECRET_KEY"] == "s3cr3t" * 8
    assert database_path(app) == str(tmp_path / "prod.sqlite")
    assert (app.config["MAIL_SERVER"], app.config["MAIL_PORT"]) == ("smtp.example.com", 587)
    assert app.config["MAIL_USE_TLS"] is True
    assert app.config["PIB360_ALLOW_REGISTRATION"] is True
    assert not app.debug and not app.testing


def test_production_without_flask_debug_is_the_default(environment):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_an_unknown_configuration_name_is_refused(environment):
    environment(PIB360_CONFIG="staging")
    with pytest.raises(RuntimeError, match="development, testing, production"):
        create_app()


@pytest.mark.parametrize("secret", [None, "", config.DEV_SECRET_KEY])
def test_production_refuses_to_start_without_a_real_secret_key(environment, secret):
    if secret is not None:
        environment(SECRET_KEY=secret)
    with pytest.raises(RuntimeError) as refused:
        create_app({"PIB360_CONFIG": "production"})
    assert "set the SECRET_KEY environment variable" in str(refused.value)


@pytest.fixture
def production(environment, tmp_path, smtp_server):
    """A production app on its own SQLite file."""
    environment(SECRET_KEY="a-real-secret-" * 4)
    app = create_app({"PIB360_CONFIG": "production", "MAIL_PORT": smtp_server.port,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.sqlite'}"})
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.engine.dispose()


def test_production_sends_hsts_and_secure_cookies(production):
    assert not production.config["PIB360_ALLOW_REGISTRATION"]  # closed unless enabled
    make_user()
    client = production.test_client()
    site = "https://pib360.example.com"
    response = client.get("/account/login", base_url=site)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    page = client.get("/account/login", base_url=site).get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/account/login", base_url=site, headers={"Referer": site + "/"},
                           data={"csrf_token": token, "email": "anna@example.com",
                                 "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302
    cookies = {header.split("=", 1)[0]: header.lower()
               for header in response.headers.getlist("Set-Cookie")}
    for name in ("session", "remember_token"):
        assert "; secure" in cookies[name] and "; httponly" in cookies[name], name
        assert "samesite=lax" in cookies[name], name


def test_postgresql_connections_are_checked_before_use(environment):
    app = create_app({"PIB360_CONFIG": "testing",
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://pib360@db.invalid/pib360"})
    with app.app_context():
        assert db.engine.pool._pre_ping is True  # a dropped connection is replaced, not used


def test_production_hashes_passwords_with_scrypt(environment, tmp_path):
    # The test configuration uses a cheap hash for speed; what users get is scrypt.
    environment(PIB360_CONFIG="production", SECRET_KEY="s3cr3t" * 8,
                DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite'}")
    app = create_app()
    with app.app_context():
        db.create_all()
        user = make_user()
        assert user.password_hash.startswith("scrypt:")
        assert user.check_password(PASSWORD) and not user.check_password("wrong password")
        db.session.remove()
        db.engine.dispose()
