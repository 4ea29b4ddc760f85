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
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
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


def test_a_worker_shows_a_prepared_report_and_dashboard_without_a_heavy_library(app):
    """The job renders; a request only reads and places five figures on the norm, so the
    first report or coach's dashboard a fresh worker shows costs no second of importing
    pandas."""
    from pib360.extensions import db
    from pib360.models import NormFigure, Role
    from pib360.services import report_rendering, sharing
    from tests.helpers import make_closed_round, make_user

    advisor = make_user()
    coach = make_user("carel@example.com", Role.COACH, "Carel Coach")
    feedback_round = make_closed_round(advisor)
    sharing.share_with_coach(advisor, coach.email)
    report_rendering.render_round(feedback_round)
    for measure in ("trust_quotient", "credibility", "reliability", "intimacy",
                    "self_orientation"):
        db.session.add(NormFigure(
            instrument_id=feedback_round.instrument_id, measure=measure, advisors=40,
            instrument_version=feedback_round.instrument_version, min_advisors=30,
            quantiles=[1 + level / 20 for level in range(10, 91, 5)]))
    db.session.commit()
    code = (
        "from pib360 import create_app\n"
        "from tests.helpers import log_in\n"
        f"app = create_app({{'SQLALCHEMY_DATABASE_URI': {app.config['SQLALCHEMY_DATABASE_URI']!r},"
        " 'REPORTS_RENDER_ON_REQUEST': False, 'PIB360_NORM_MIN_ADVISORS': 30})\n"
        "client = app.test_client()\n"
        "log_in(client)\n"
        f"page = client.get('/reports/{feedback_round.id}')\n"
        "assert page.status_code == 200, page.status_code\n"
        "assert 'Vergeleken met andere adviseurs' in page.get_data(as_text=True)\n"
        "assert 'Percentiel' in page.get_data(as_text=True)\n"
        "coach = app.test_client()\n"
        "log_in(coach, 'carel@example.com')\n"
        "page = coach.get('/coach/').get_data(as_text=True)\n"
        "assert 'zelf 3,00 · klanten 3,00' in page, page\n"
    )
    assert heavy_modules_after(code) == []
