"""pib360 installs from its wheel and runs outside the checkout: templates, static files,
the Dutch catalogue and the migrations travel inside the package."""

import os
import re
import subprocess
import sys
import sysconfig
import time
import urllib.request
import venv
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from pib360.__main__ import cli
from tests.conftest import free_port

CHECKOUT = Path(__file__).resolve().parents[1]
DATA = "pib360/_data"


def run(*command, **options) -> str:
    """Run a command to its end; its output, or a failed test showing what it printed."""
    result = subprocess.run([str(part) for part in command], capture_output=True, text=True,
                            timeout=120, **options)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel of this checkout, built as `pip install .` builds it."""
    folder = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", folder,
        CHECKOUT)
    [built] = folder.glob("pib360-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A new virtual environment, outside the checkout, with the wheel installed.

    Installing the dependencies from the registry would take minutes: a .pth file lends it
    this environment's site-packages instead. Python only adds the folders a .pth file names,
    it does not run the .pth files inside them, so the editable install's, which would put
    the checkout on sys.path, stays out.
    """
    folder = tmp_path_factory.mktemp("venv")
    venv.create(folder, symlinks=True)  # from the base interpreter, not from this venv
    python = folder / "bin" / "python"
    site_packages = run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))")
    ours = dict.fromkeys([sysconfig.get_path("purelib"), sysconfig.get_path("platlib")])
    Path(site_packages.strip(), "pib360-dependencies.pth").write_text("\n".join(ours) + "\n")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps",
        "--no-index", wheel)
    return folder


@pytest.fixture
def settings(installed, tmp_path) -> dict:
    """What runs in the new environment: production settings, in an empty folder."""
    inherited = {name: value for name, value in os.environ.items()
                 if not name.startswith(("PYTHON", "FLASK_", "PIB360_", "VIRTUAL_ENV"))}
    return {"env": {**inherited, "PIB360_CONFIG": "production",
                    "SECRET_KEY": "a-secret-for-the-packaging-test-" * 2,
                    "DATABASE_URL": f"sqlite:///{tmp_path / 'pib360.sqlite'}"},
            "cwd": tmp_path}


def serve(installed: Path, settings: dict) -> subprocess.Popen:
    """gunicorn serving `pib360.wsgi:app` from the new environment; returns once it answers."""
    port = free_port()
    server = subprocess.Popen(
        [installed / "bin" / "python", "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "pib360.wsgi:app"], **settings)
    server.base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(server.base_url + "/account/login", timeout=2).close()
            return server
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.2)


@pytest.mark.packaging
def test_the_wheel_carries_the_data_folders_and_the_compiled_catalogue(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("templates/base.html", "static/css/pib360.css", "migrations/env.py",
                 "migrations/alembic.ini", "translations/nl/LC_MESSAGES/messages.mo"):
        assert f"{DATA}/{name}" in names
    assert any(name.startswith(f"{DATA}/migrations/versions/") for name in names)
    assert not any("__pycache__" in name or name.endswith(".po") for name in names)


@pytest.mark.packaging
def test_the_installed_wheel_migrates_adds_demo_data_and_serves_the_login_page(
        installed, settings):
    python = installed / "bin" / "python"
    found = run(python, "-c", "import pib360; app = pib360.create_app();"
                " print(pib360.__file__, app.template_folder, app.instance_path)", **settings)
    package, templates, instance = map(Path, found.split())
    assert package.is_relative_to(installed) and templates.is_relative_to(installed)
    assert templates.as_posix().endswith(f"{DATA}/templates")
    assert instance == installed / "var" / "pib360-instance"  # Flask's choice for a package

    run(python, "-m", "flask", "--app", "pib360:create_app", "db", "upgrade", **settings)
    demo = run(installed / "bin" / "pib360", "demo", "--force", **settings)
    assert "advisor@example.com" in demo
    server = serve(installed, settings)
    try:
        with urllib.request.urlopen(server.base_url + "/account/login") as response:
            page = response.read().decode()
        assert "Inloggen" in page  # Dutch, the default: the catalogue was found
        stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', page).group(1)
        with urllib.request.urlopen(server.base_url + stylesheet) as response:
            assert response.status == 200 and response.url == server.base_url + stylesheet
            assert response.headers["Content-Type"].startswith("text/css")
            assert b"{" in response.read()
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_pib360_command_has_flasks_commands_and_ours_at_the_top_level(monkeypatch):
    monkeypatch.setenv("PIB360_CONFIG", "testing")
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0, result.output
    commands = re.findall(r"^  ([\w-]+)", result.output.split("Commands:")[1], re.MULTILINE)
    assert {"db", "run", "shell", "demo", "create-user", "deliver", "report"} <= set(commands)
