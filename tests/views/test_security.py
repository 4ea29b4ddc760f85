"""Security by default: headers on every page, CSRF on every form, no change on GET."""

import re

import pytest

from pib360 import ROOT
from pib360.extensions import db
from pib360.models import Role
from tests.helpers import csrf_token, log_in, make_user

ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
CSRF_REFUSED = "Dit formulier is verlopen of niet vanuit pib360 verstuurd."


def example_path(rule) -> str:
    """A concrete path for a URL rule: 1 for numbers, a made-up token for the rest."""

    def value(match):
        converter, name = match.groups()
        if rule.endpoint == "static":
            return "css/pib360.css"
        return "1" if converter in ("int", "float") else "made-up-token"

    return ARGUMENT.sub(value, rule.rule)


def paths(app, method: str) -> list[str]:
    return sorted({example_path(rule) for rule in app.url_map.iter_rules()
                   if method in rule.methods})


@pytest.fixture
def admin(client):
    """An admin, logged in on `client` (admins may open the most pages)."""
    user = make_user(email="root@example.com", name="Ada Admin", role=Role.ADMIN)
    log_in(client, email="root@example.com")
    return user


def get(client, path):
    """GET `path` and close the response, as a browser and a WSGI server would."""
    with client.get(path) as response:
        response.get_data()
        return response


def csp(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    directives = (part.split() for part in policy.split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def assert_security_headers(path, response):
    policy = csp(response)
    assert policy["default-src"] == ["'self'"], path
    assert policy["script-src"] == ["'self'"], path  # no 'unsafe-inline', no eval
    assert policy["style-src"] == ["'self'"], path
    assert policy["object-src"] == ["'none'"], path
    assert policy["base-uri"] == ["'none'"], path
    assert policy["frame-ancestors"] == ["'none'"], path
    assert response.headers["X-Content-Type-Options"] == "nosniff", path
    assert response.headers["Referrer-Policy"] == "no-referrer", path
    assert "Strict-Transport-Security" not in response.headers  # only in production


def test_the_walk_covers_the_foundation_pages(app):
    walked = paths(app, "GET")
    for path in ("/", "/account/login", "/account/profile", "/admin/users",
                 "/account/reset-password/made-up-token", "/static/css/pib360.css"):
        assert path in walked


def test_every_page_carries_the_security_headers_for_visitors(app, client):
    for path in paths(app, "GET"):
        assert_security_headers(path, get(client, path))


def test_every_page_behind_login_is_never_cached(app, client, admin):
    for path in paths(app, "GET"):
        response = get(client, path)
        assert_security_headers(path, response)
        if not path.startswith("/static/"):
            assert response.headers["Cache-Control"] == "no-store", path
            assert "Cookie" in response.headers["Vary"], path


def test_static_files_and_public_pages_may_be_cached(client):
    for path in ("/static/css/pib360.css", "/account/login"):
        assert "no-store" not in get(client, path).headers.get("Cache-Control", ""), path


def test_session_and_remember_cookies_are_out_of_reach_of_scripts(client):
    make_user()
    response = log_in(client, remember=True)
    cookies = {header.split("=", 1)[0]: header for header in response.headers.getlist(
        "Set-Cookie")}
    for name in ("session", "remember_token"):
        attributes = [part.strip().lower() for part in cookies[name].split(";")]
        assert "httponly" in attributes, name
        assert "samesite=lax" in attributes, name


def test_every_form_refuses_a_post_without_csrf_token(app, client, admin):
    for path in paths(app, "POST"):
        response = client.post(path, data={"email": "x@example.com", "role": "admin"})
        assert response.status_code == 400, path
        assert CSRF_REFUSED in response.get_data(as_text=True), path
    assert client.get("/account/profile").status_code == 200  # not even logged out


def test_every_form_refuses_a_token_from_another_session(app, client, admin):
    intruder = app.test_client()
    foreign = csrf_token(intruder, "/account/login")
    for path in paths(app, "POST"):
        assert client.post(path, data={"csrf_token": foreign}).status_code == 400, path


def test_opening_pages_changes_nothing_in_the_database(app, client, admin):
    make_user()  # someone for the admin pages to list

    def snapshot():
        db.session.expire_all()
        state = {table.name: sorted(map(tuple, db.session.execute(table.select()).all()), key=str)
                 for table in db.metadata.sorted_tables}
        db.session.commit()
        return state

    before = snapshot()
    visitor = app.test_client()
    for path in paths(app, "GET"):
        get(client, path)
        get(visitor, path)
    assert snapshot() == before


def test_actions_refuse_get_and_say_which_method_they_allow(app, client, admin):
    post_only = [rule for rule in app.url_map.iter_rules() if "GET" not in rule.methods]
    assert post_only
    for rule in post_only:
        response = client.get(example_path(rule))
        assert response.status_code == 405, rule.rule
        assert "POST" in response.headers.get("Allow", ""), rule.rule


UNSAFE_MARKUP = {
    "an inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I),
    "a <style> element": re.compile(r"<style\b", re.I),
    "a style= attribute": re.compile(r"\sstyle\s*=", re.I),
    "an on*= event handler": re.compile(r"<[^>]*\son[a-z]+\s*=", re.I | re.S),
    "a javascript: URL": re.compile(r"javascript:", re.I),
}


def page_templates():
    """Every template of a web page (e-mails are not pages: they need inline styles)."""
    folder = ROOT / "templates"
    return sorted(p for p in folder.rglob("*.html") if "email" not in p.relative_to(folder).parts)


def test_no_template_needs_what_the_content_security_policy_forbids():
    templates = page_templates()
    assert len(templates) > 10
    found = [f"{template.relative_to(ROOT)}: {what}"
             for template in templates
             for what, pattern in UNSAFE_MARKUP.items()
             if pattern.search(template.read_text())]
    assert found == []


def test_the_markup_check_recognises_what_it_forbids():
    forbidden = ['<script>alert(1)</script>', '<p style="color: red">', '<style>p{}</style>',
                 '<button onclick="go()">', '<a href="javascript:go()">']
    allowed = ['<script src="/static/app.js" defer></script>', '<p class="onboarding">']
    for snippet in forbidden:
        assert any(p.search(snippet) for p in UNSAFE_MARKUP.values()), snippet
    for snippet in allowed:
        assert not any(p.search(snippet) for p in UNSAFE_MARKUP.values()), snippet
