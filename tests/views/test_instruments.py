"""Questionnaires an admin installs: upload, preview, default for new rounds, the command."""

import io
import re

import pytest

from pib360 import create_app
from pib360.domain.instrument_file import DEFAULT_INSTRUMENT_PATH
from pib360.extensions import db
from pib360.models import FeedbackRound, InstalledInstrument, Role
from pib360.services import instruments
from tests.helpers import csrf_token, log_in, make_closed_round, make_user, post_form

SHIPPED = DEFAULT_INSTRUMENT_PATH.read_text(encoding="utf-8")
CLIENT_NL = "Mijn adviseur beantwoordt mijn vakinhoudelijke vragen helder en zonder omwegen."


def version_2(**replace: str) -> str:
    """The shipped instrument as version 2.0, its first item reworded (in all four texts)."""
    text = SHIPPED.replace('version = "1.0"', 'version = "2.0"')
    text = text.replace(CLIENT_NL, "Mijn adviseur legt vakinhoud uit in versie twee.")
    text = text.replace("I answer my client's specialist questions clearly and directly.",
                        "I explain my field in version two.")
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    return text


def line_of(text: str, fragment: str, occurrence: int = 0) -> int:
    """The line number of the `occurrence`-th line holding `fragment`."""
    return [n for n, line in enumerate(text.splitlines(), 1) if fragment in line][occurrence]


@pytest.fixture
def admin(client):
    """An admin, logged in on `client`."""
    user = make_user("root@example.com", Role.ADMIN, "Ada Admin")
    log_in(client, "root@example.com")
    return user


def upload(client, content: str | bytes, name="pib360-v2.toml", default=False):
    data = {"file": (io.BytesIO(content.encode() if isinstance(content, str) else content),
                     name)}
    if default:
        data["make_default"] = "y"
    return post_form(client, "/admin/instruments/install", data,
                     content_type="multipart/form-data")


def stored() -> list[tuple[str, str]]:
    db.session.expire_all()
    return [tuple(row) for row in db.session.execute(
        db.select(InstalledInstrument.instrument_id, InstalledInstrument.version)).all()]


def test_an_admin_installs_a_file_and_previews_it_in_both_voices_and_languages(client, admin):
    response = upload(client, version_2())
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/instruments/pib360/2.0"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Vragenlijst pib360 versie 2.0 is geïnstalleerd." in page
    assert "Mijn adviseur legt vakinhoud uit in versie twee." in page  # client, Dutch
    assert "helemaal mee oneens" in page and "kan ik niet beoordelen" in page
    base = "/admin/instruments/pib360/2.0"
    english_self = client.get(f"{base}?voice=self&lang=en").get_data(as_text=True)
    assert "I explain my field in version two." in english_self
    assert "Mijn adviseur" not in english_self and "strongly disagree" in english_self
    dutch_self = client.get(f"{base}?voice=self&lang=nl").get_data(as_text=True)
    assert "Ik beantwoord vakinhoudelijke vragen van mijn klant" in dutch_self
    assert "Mijn adviseur" not in dutch_self
    english_client = client.get(f"{base}?voice=client&lang=en").get_data(as_text=True)
    assert "My advisor answers my specialist questions clearly" in english_client
    assert "I explain my field" not in english_client
    # Installed, not yet the default: the list says which one new rounds use.
    listing = client.get("/admin/instruments").get_data(as_text=True)
    assert "pib360 1.0" in listing and "pib360 2.0" in listing
    assert listing.count("Standaard voor nieuwe rondes") == 1
    assert listing.index("Standaard voor nieuwe rondes") < listing.index("pib360 2.0")
    assert instruments.current().version == "1.0"
    assert stored() == [("pib360", "2.0")]


def test_invalid_files_are_refused_with_their_line_and_nothing_is_stored(client, admin):
    broken_toml = version_2(**{'id = "cr1"': 'id = "cr1'})
    broken_line = line_of(broken_toml, 'id = "cr1')
    bad_dimension = version_2(**{'dimension = "reliability"': 'dimension = "punctuality"'})
    item_line = line_of(bad_dimension, "[[items]]", 1)  # the second item's header
    invalid = "Dit is geen geldig vragenlijstbestand"
    cases = [
        (broken_toml, f"{invalid}. Regel {broken_line}: pib360-v2.toml: not valid TOML"),
        (bad_dimension, f"{invalid}. Regel {item_line}: pib360-v2.toml: items[1] 're1': "
                        "unknown dimension 'punctuality'"),
        (version_2(**{"[roles.expert_plus]": "[roles.expert_plus_x]"}),
         f"{invalid}: pib360-v2.toml: roles: unknown role 'expert_plus_x'"),
        (version_2(**{"[[items]]": "[[itemz]]"}),
         f"{invalid}: pib360-v2.toml: top level: unknown key 'itemz'"),
        (SHIPPED, "Vragenlijst pib360 versie 1.0 is al geïnstalleerd"),
        (version_2(**{'version = "2.0"': 'version = "2 0"'}),
         "top level: id '2 0' must be non-empty and without spaces"),
        (version_2() + "#" * instruments.MAX_FILE_SIZE, "Het bestand is te groot"),
        ("id = \"caf\xe9\"".encode("latin-1"), "Het bestand is geen UTF-8-tekst"),
    ]
    for content, message in cases:
        page = upload(client, content).get_data(as_text=True)
        assert message.replace("'", "&#39;").replace('"', "&#34;") in page, message
    page = post_form(client, "/admin/instruments/install", {}).get_data(as_text=True)
    assert "Kies het vragenlijstbestand" in page
    assert stored() == []
    # A file whose version was installed a moment ago is refused the same way.
    assert upload(client, version_2()).status_code == 302
    page = upload(client, version_2()).get_data(as_text=True)
    assert "pib360 versie 2.0 is al geïnstalleerd" in page
    assert stored() == [("pib360", "2.0")]


def test_a_new_default_is_used_by_new_rounds_and_older_rounds_keep_theirs(app, client, admin):
    anna = make_user()
    older = make_closed_round(anna)
    instruments.install(version_2().encode(), "v2.toml", admin)
    page = post_form(client, "/admin/instruments/pib360/2.0/default", {},
                     form_page="/admin/instruments", follow_redirects=True)
    assert "Nieuwe rondes gebruiken nu vragenlijst pib360 versie 2.0." in page.get_data(
        as_text=True)
    # Another server process (a fresh app on the same database) sees the new default.
    other = create_app({"PIB360_CONFIG": "testing",
                        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]})
    with other.app_context():
        assert instruments.current().version == "2.0"
        assert instruments.get("pib360", "2.0").item("cr1").text("client", "nl").endswith(
            "in versie twee.")
        db.session.remove()
        db.engine.dispose()
    advisor = app.test_client()
    log_in(advisor)
    post_form(advisor, "/rounds/new", {"title": "Voorjaar", "language": "nl",
                                       "min_clients": "3"}, form_page="/rounds/new")
    db.session.expire_all()
    newer = db.session.execute(
        db.select(FeedbackRound).filter_by(title="Voorjaar")).scalar_one()
    assert newer.instrument_version == "2.0"
    assert db.session.get(FeedbackRound, older.id).instrument_version == "1.0"
    report = advisor.get(f"/reports/{older.id}").get_data(as_text=True)
    assert "vragenlijst pib360 1.0" in report and "versie twee" not in report
    assert "Mijn adviseur beantwoordt mijn vakinhoudelijke vragen" in report
    assert instruments.for_round(newer).item("cr1").text("self", "en") == (
        "I explain my field in version two.")


def test_an_unknown_version_is_404(client, admin):
    assert client.get("/admin/instruments/pib360/9.9").status_code == 404
    response = post_form(client, "/admin/instruments/pib360/9.9/default", {},
                         form_page="/admin/instruments")
    assert response.status_code == 404
    assert instruments.current().version == "1.0"


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.COACH])
def test_other_roles_get_403(client, role):
    make_user(role=role)
    log_in(client)
    for path in ("/admin/instruments", "/admin/instruments/install",
                 "/admin/instruments/pib360/1.0"):
        assert client.get(path).status_code == 403, path
    token = csrf_token(client, "/account/profile")
    response = client.post("/admin/instruments/install", content_type="multipart/form-data",
                           data={"csrf_token": token,
                                 "file": (io.BytesIO(version_2().encode()), "v2.toml")})
    assert response.status_code == 403
    response = client.post("/admin/instruments/pib360/1.0/default", data={"csrf_token": token})
    assert response.status_code == 403
    assert stored() == []


def test_the_command_installs_a_file_and_refuses_a_bad_one(runner, tmp_path):
    path = tmp_path / "pib360-v2.toml"
    path.write_text(version_2(), encoding="utf-8")
    result = runner.invoke(args=["pib360", "instrument", "install", str(path), "--default"])
    assert result.exit_code == 0, result.output
    assert "Installed pib360 2.0 (24 statements)." in result.output
    assert "New rounds use it from now on" in result.output
    assert instruments.current().version == "2.0"
    again = runner.invoke(args=["pib360", "instrument", "install", str(path)])
    assert again.exit_code == 1
    assert "Questionnaire pib360 version 2.0 is installed already" in again.output
    broken = tmp_path / "broken.toml"
    broken.write_text(version_2(**{'version = "2.0"': 'version = 3'}), encoding="utf-8")
    result = runner.invoke(args=["pib360", "instrument", "install", str(broken)])
    assert result.exit_code == 1
    assert re.search(r"not a valid questionnaire file: broken\.toml: top level: 'version' "
                     r"must be a quoted string", result.output), result.output
    assert stored() == [("pib360", "2.0")]
