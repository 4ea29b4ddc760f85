"""A worker and a cron run load no numbers or rendering library until they need one.

Importing pandas, matplotlib, reportlab and openpyxl costs seconds and tens of megabytes:
every gunicorn worker (re)start and every `flask pib360 deliver` would pay for them.
"""

import os
import subprocess
import sys

from pib360 import ROOT

HEAVY = ("pandas", "numpy", "scipy", "matplotlib", "reportlab", "openpyxl")
PROBE = """
import sys
{code}
print(" ".join(sorted(name for name in {heavy!r} if name in sys.modules)))
"""


def heavy_modules_after(code: str) -> list[str]:
    """The heavy libraries a fresh interpreter has loaded after running `code`."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(code=code, heavy=HEAVY)], cwd=ROOT,
        env={**os.environ, "PIB360_CONFIG": "development"},
        capture_output=True, text=True, timeout=120, check=True,
    )
    return result.stdout.split()


def test_importing_the_app_loads_no_heavy_library():
    assert heavy_modules_after("import pib360.wsgi") == []


def test_the_cron_job_loads_no_heavy_library(tmp_path):
    database = f"sqlite:///{tmp_path / 'cron.sqlite'}"
    code = (
        "from pib360 import create_app\n"
        "from pib360.extensions import db\n"
        f"app = create_app({{'SQLALCHEMY_DATABASE_URI': {database!r}, 'MAIL_CONSOLE': True}})\n"
        "with app.app_context():\n"
        "    db.create_all()\n"
        "result = app.test_cli_runner().invoke(args=['pib360', 'deliver'])\n"
        "assert result.exit_code == 0, result.output\n"
    )
    assert heavy_modules_after(code) == []


def test_the_probe_sees_a_heavy_library_when_one_is_loaded():
    assert heavy_modules_after("import pib360.wsgi\nimport pandas") == ["numpy", "pandas"]
