"""The instrument quality page, its CSV and `pib360 instrument-quality`."""

import pytest

from pib360.extensions import db
from pib360.models import Role
from pib360.services import sharing
from tests.helpers import log_in, make_closed_round, make_user

# Three clients who differ in general impression: every scale then has a defined alpha.
CLIENTS = [{"credibility": 3, "reliability": 4, "intimacy": 3, "self_orientation": 5},
           {"credibility": 5, "reliability": 5, "intimacy": 6, "self_orientation": 3},
           {"credibility": 6, "reliability": 7, "intimacy": 5, "self_orientation": 2}]


def rounds(count: int, last_clients: int = 3) -> list:
    """`count` advisors with a closed round of three clients (the last one `last_clients`)."""
    advisors = []
    for number in range(count):
        advisor = make_user(f"a{number}@example.com", name=f"Adviseur {number}")
        clients = CLIENTS[:last_clients] if number == count - 1 else CLIENTS
        make_closed_round(advisor, client_scores=clients)
        advisors.append(advisor)
    return advisors


@pytest.fixture
def admin(client):
    make_user("ada@example.com", Role.ADMIN, "Ada Admin")
    log_in(client, "ada@example.com")
    return client


def test_fewer_than_30_clients_from_10_rounds_show_no_figures(admin, runner):
    # Ten rounds, but the last has two clients, fewer than its minimum of three: its
    # answers are published nowhere, so 27 clients from 9 rounds are pooled.
    rounds(10, last_clients=2)
    page = admin.get("/quality/").get_data(as_text=True)
    assert "Nog geen cijfers" in page and "27 klanten uit 9 rondes" in page
    assert "Cronbach" not in page and "<table" not in page
    assert admin.get("/quality/quality.csv").status_code == 404
    result = runner.invoke(args=["pib360", "instrument-quality"])
    assert result.exit_code == 1 and "no figures" in result.output


def test_the_page_the_csv_and_the_command_show_the_pooled_figures(admin, runner):
    rounds(10)
    page = admin.get("/quality/").get_data(as_text=True)
    assert "30 klanten uit 10 afgesloten rondes" in page
    assert "Betrouwbaarheid van de schalen" in page and "Geloofwaardigheid" in page
    csv = admin.get("/quality/quality.csv")
    text = csv.data.decode("utf-8-sig")
    assert csv.mimetype == "text/csv" and "attachment" in csv.headers["Content-Disposition"]
    assert text.splitlines()[0].startswith("Onderdeel;")
    assert "\r\nSchaal;Geloofwaardigheid;6;30;" in text
    assert text.count("\r\n") == 1 + 8 + 24  # header, scales, items
    result = runner.invoke(args=["pib360", "instrument-quality", "--version", "1.0"])
    assert result.exit_code == 0 and "30 client(s) from 10 closed round(s)" in result.output
    assert "Credibility" in result.output and "so6" in result.output
    assert runner.invoke(args=["pib360", "instrument-quality", "--version", "9"]).exit_code == 1


def test_versions_are_compared_side_by_side(admin):
    rounds(10)
    from pib360.domain.instrument_file import DEFAULT_INSTRUMENT_PATH
    from pib360.services import instruments

    text = DEFAULT_INSTRUMENT_PATH.read_text(encoding="utf-8")
    instruments.install(text.replace('version = "1.0"', 'version = "2.0"').encode(),
                        "v2.toml", None, make_default=True)
    make_closed_round(make_user("nieuw@example.com"), client_scores=CLIENTS)
    page = admin.get("/quality/?instrument=pib360&version=1.0").get_data(as_text=True)
    section = page[page.index("Versies naast elkaar"):]
    assert "pib360 1.0" in section and "pib360 2.0" in section
    # Version 1.0 has its figures; 2.0, with one round, shows none.
    assert "(n = 30)" in section and "–" in section
    assert "30 klanten uit 10 rondes" in section and "3 klanten uit 1 ronde" in section


def test_a_coach_pools_only_the_rounds_shared_with_them(app, client):
    coach = make_user("carel@example.com", Role.COACH, "Carel Coach")
    advisors = rounds(10)
    for advisor in advisors[:9]:
        sharing.ensure_share(advisor, coach)
    db.session.commit()
    log_in(client, coach.email)
    page = client.get("/quality/").get_data(as_text=True)
    assert "27 klanten uit 9 rondes" in page and "<table" not in page
    sharing.ensure_share(advisors[9], coach)
    db.session.commit()
    assert "<table" in client.get("/quality/").get_data(as_text=True)


def test_advisors_and_visitors_do_not_get_the_page(client):
    assert client.get("/quality/").status_code == 302
    make_user()
    log_in(client)
    assert client.get("/quality/").status_code == 403
