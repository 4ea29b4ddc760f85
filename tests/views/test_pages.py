"""Every page: labelled inputs and landmarks; the language; the development outbox."""

from collections import Counter
from html.parser import HTMLParser

import pytest

from pib360.extensions import db
from pib360.models import Role, User
from tests.helpers import PASSWORD, log_in, make_user, post_form
from tests.views.test_security import example_path, get

UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


class PageStructure(HTMLParser):
    """What a screen reader relies on: landmarks, labels, unique ids, the language."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: Counter = Counter()
        self.ids: Counter = Counter()
        self.label_targets: set[str] = set()
        self.controls: list[dict] = []
        self.lang = None
        self._open_labels = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.tags[tag] += 1
        if "id" in attributes:
            self.ids[attributes["id"]] += 1
        if tag == "html":
            self.lang = attributes.get("lang")
        elif tag == "label":
            self._open_labels += 1
            if attributes.get("for"):
                self.label_targets.add(attributes["for"])
        elif tag in ("input", "select", "textarea"):
            if tag != "input" or attributes.get("type", "text") not in UNLABELLED_TYPES:
                self.controls.append({**attributes, "tag": tag, "wrapped": self._open_labels})

    def handle_endtag(self, tag):
        if tag == "label":
            self._open_labels -= 1

    def unlabelled(self) -> list[dict]:
        return [c for c in self.controls
                if not (c.get("id") in self.label_targets or c["wrapped"]
                        or c.get("aria-label") or c.get("aria-labelledby"))]


def assert_accessible(path, response, lang="nl", menu=True):
    page = PageStructure(response.get_data(as_text=True))
    assert page.lang == lang, path
    for landmark in ("header", "main", "footer"):
        assert page.tags[landmark] == 1, f"{path}: one <{landmark}>"
    if menu:
        assert page.tags["nav"] >= 1, f"{path}: <nav>"
    assert page.tags["h1"] == 1, f"{path}: one <h1>"
    assert page.unlabelled() == [], path
    assert [i for i, n in page.ids.items() if n > 1] == [], f"{path}: duplicate ids"


# Clients answering a survey see no site menu: they have nowhere else to go.
WITHOUT_MENU = {"survey"}


def html_pages(app, client):
    """Every GET page that answers with HTML, as this client sees it."""
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        path = example_path(rule)
        response = get(client, path)
        if response.mimetype == "text/html" and response.status_code != 302:
            yield path, response, rule.endpoint.split(".")[0] not in WITHOUT_MENU


@pytest.fixture
def admin(client):
    user = make_user(email="root@example.com", name="Ada Admin", role=Role.ADMIN)
    log_in(client, email="root@example.com")
    return user


def test_every_page_for_visitors_has_labels_and_landmarks(app, client):
    walked = list(html_pages(app, client))
    assert {"/", "/account/login", "/account/register", "/account/forgot-password"} <= {
        path for path, _, _ in walked}
    for path, response, menu in walked:
        assert_accessible(path, response, menu=menu)


def test_every_page_for_an_admin_has_labels_and_landmarks(app, client, admin):
    make_user()
    walked = list(html_pages(app, client))
    assert {"/account/profile", "/account/password", "/admin/users"} <= {
        path for path, _, _ in walked}
    for path, response, menu in walked:
        assert_accessible(path, response, menu=menu)


def test_forms_with_errors_tie_each_error_to_its_field(client):
    response = post_form(client, "/account/register",
                         {"name": "", "email": "nope", "password": "x", "confirm": "y"})
    assert_accessible("/account/register", response)
    page = PageStructure(response.get_data(as_text=True))
    controls = {control["id"]: control for control in page.controls}
    for field in ("name", "email", "password", "confirm"):
        assert page.ids[f"{field}-error"] == 1, field
        assert f"{field}-error" in controls[field]["aria-describedby"].split(), field
        assert controls[field]["aria-invalid"] == "true", field


def test_error_pages_keep_the_site_layout(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert_accessible("/no-such-page", response)
    assert "Deze pagina bestaat niet." in response.get_data(as_text=True)


def test_the_site_speaks_dutch_by_default(client):
    page = client.get("/account/login").get_data(as_text=True)
    assert '<html lang="nl">' in page and "Wachtwoord vergeten?" in page


def test_a_visitor_switches_the_language_and_it_stays(client):
    response = post_form(client, "/account/language",
                         {"language": "en", "next": "/account/forgot-password?x=1"},
                         form_page="/account/login")
    assert response.headers["Location"] == "/account/forgot-password?x=1"
    page = client.get("/account/login").get_data(as_text=True)
    assert '<html lang="en">' in page and "Forgot your password?" in page
    post_form(client, "/account/language", {"language": "nl"}, form_page="/account/login")
    assert "Wachtwoord vergeten?" in client.get("/account/login").get_data(as_text=True)


def test_the_language_switch_does_not_redirect_to_other_sites(client):
    response = post_form(client, "/account/language",
                         {"language": "en", "next": "https://evil.example/"},
                         form_page="/account/login")
    assert response.headers["Location"] == "/"


def test_an_unknown_language_is_ignored(client):
    post_form(client, "/account/language", {"language": "xx"}, form_page="/account/login")
    assert '<html lang="nl">' in client.get("/account/login").get_data(as_text=True)


def test_a_new_account_keeps_the_language_the_visitor_chose(client):
    post_form(client, "/account/language", {"language": "en"}, form_page="/account/login")
    post_form(client, "/account/register", {"name": "Bram", "email": "bram@example.com",
                                            "password": PASSWORD, "confirm": PASSWORD})
    assert db.session.execute(db.select(User.language)).scalar_one() == "en"


def test_a_user_sees_their_own_language_whatever_the_browser_chose(client):
    make_user(language="en")
    post_form(client, "/account/language", {"language": "nl"}, form_page="/account/login")
    log_in(client)
    page = client.get("/account/profile").get_data(as_text=True)
    assert '<html lang="en">' in page and "Your profile" in page


def test_the_language_switch_is_stored_on_a_logged_in_users_profile(client):
    make_user()
    log_in(client)
    post_form(client, "/account/language", {"language": "en"}, form_page="/account/profile")
    assert db.session.execute(db.select(User.language)).scalar_one() == "en"
    assert "Your profile" in client.get("/account/profile").get_data(as_text=True)


def test_the_development_outbox_does_not_exist_outside_debug(client):
    response = client.get("/dev/outbox")
    assert response.status_code == 404


def test_the_development_outbox_shows_mail_with_clickable_links(app, client, mailbox, capsys):
    app.config.update(DEBUG=True, MAIL_CONSOLE=True, MAIL_KEEP_SECRET_BODIES=True,
                      PIB360_CONFIG="development")
    make_user()
    post_form(client, "/account/forgot-password", {"email": "anna@example.com"},
              follow_redirects=True)
    assert "/account/reset-password/" in capsys.readouterr().out  # printed to the console
    assert mailbox.messages == []
    response = client.get("/dev/outbox")
    assert_accessible("/dev/outbox", response)
    page = response.get_data(as_text=True)
    assert "Stel uw pib360-wachtwoord opnieuw in" in page and "anna@example.com" in page
    link = page.split('<a href="http://localhost/account/reset-password/')[1].split('"')[0]
    assert "Kies een nieuw wachtwoord" in client.get(
        f"/account/reset-password/{link}").get_data(as_text=True)


def test_the_development_outbox_stays_shut_in_production_even_in_debug(app, client):
    app.config.update(DEBUG=True, PIB360_CONFIG="production")
    assert client.get("/dev/outbox").status_code == 404


def test_every_page_links_an_icon_and_the_usual_icon_address_answers(client):
    page = client.get("/account/login").get_data(as_text=True)
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    assert get(client, "/static/favicon.svg").mimetype == "image/svg+xml"
    icon = get(client, "/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
