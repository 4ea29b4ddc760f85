"""Small helpers for repeated test actions."""

import re

from pib360.extensions import db
from pib360.models import Role, User

PASSWORD = "correct horse battery"


def make_user(email="anna@example.com", role=Role.ADVISOR, name="Anna Jansen",
              password=PASSWORD, language="nl", active=True) -> User:
    """Create and store a user."""
    user = User(email=email, name=name, role=role, language=language, active=active)
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user


def csrf_token(client, path: str) -> str:
    """The CSRF token of the form on `path`."""
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def post_form(client, path: str, data: dict, form_page: str | None = None, **kwargs):
    """Submit a form the way a browser does: with the CSRF token from its page."""
    data = {"csrf_token": csrf_token(client, form_page or path), **data}
    return client.post(path, data=data, **kwargs)


def log_in(client, email="anna@example.com", password=PASSWORD, remember=False):
    data = {"email": email, "password": password}
    if remember:
        data["remember"] = "y"
    return post_form(client, "/account/login", data)
