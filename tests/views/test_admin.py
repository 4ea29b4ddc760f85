"""Admins manage accounts at /admin/users: list, change a role, deactivate."""

import pytest

from pib360.extensions import db
from pib360.models import Role, User
from tests.helpers import csrf_token, log_in, make_user, post_form


@pytest.fixture
def admin(client):
    """An admin, logged in on `client`."""
    user = make_user(email="root@example.com", name="Ada Admin", role=Role.ADMIN)
    log_in(client, email="root@example.com")
    return user


def fresh(user: User) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def logged_in(client) -> bool:
    return client.get("/account/profile").status_code == 200


def test_the_user_list_shows_every_account_with_role_and_status(client, admin):
    assert "1 account." in client.get("/admin/users").get_data(as_text=True)
    make_user(email="anna@example.com", name="Anna Jansen")
    make_user(email="carel@example.com", name="Carel Coach", role=Role.COACH, active=False)
    page = client.get("/admin/users").get_data(as_text=True)
    assert "3 accounts." in page
    for text in ("Anna Jansen", "anna@example.com", "Carel Coach", "Ada Admin", "Gedeactiveerd"):
        assert text in page
    assert page.index("anna@example.com") < page.index("carel@example.com")  # sorted by address
    assert 'value="coach" selected' in page


def test_the_user_list_is_in_the_menu_for_admins_only(app, client, admin):
    assert 'href="/admin/users"' in client.get("/account/profile").get_data(as_text=True)
    make_user()
    advisor = app.test_client()
    log_in(advisor)
    assert 'href="/admin/users"' not in advisor.get("/account/profile").get_data(as_text=True)


def test_an_admin_changes_a_role(client, admin):
    anna = make_user()
    response = post_form(client, f"/admin/users/{anna.id}/role", {"role": "coach"},
                         form_page="/admin/users", follow_redirects=True)
    assert "anna@example.com is nu: Coach." in response.get_data(as_text=True)
    assert fresh(anna).role is Role.COACH


def test_an_unknown_role_is_refused(client, admin):
    anna = make_user()
    response = post_form(client, f"/admin/users/{anna.id}/role", {"role": "superuser"},
                         form_page="/admin/users", follow_redirects=True)
    assert "Kies een van de rollen." in response.get_data(as_text=True)
    assert fresh(anna).role is Role.ADVISOR


def test_deactivating_a_user_ends_their_session_and_blocks_login(app, client, admin):
    anna = make_user()
    annas_browser = app.test_client()
    log_in(annas_browser)
    assert logged_in(annas_browser)

    response = post_form(client, f"/admin/users/{anna.id}/active", {"active": "0"},
                         form_page="/admin/users", follow_redirects=True)
    assert "anna@example.com is gedeactiveerd en uitgelogd." in response.get_data(as_text=True)
    assert not logged_in(annas_browser)
    # A second click (double click, back and resubmit) keeps her deactivated.
    post_form(client, f"/admin/users/{anna.id}/active", {"active": "0"}, form_page="/admin/users")
    assert not fresh(anna).active
    assert log_in(annas_browser).status_code == 200  # the login form again, with an error

    response = post_form(client, f"/admin/users/{anna.id}/active", {"active": "1"},
                         form_page="/admin/users", follow_redirects=True)
    assert "anna@example.com kan weer inloggen." in response.get_data(as_text=True)
    assert log_in(annas_browser).status_code == 302
    assert logged_in(annas_browser)


def test_an_admin_cannot_lock_themself_out(client, admin):
    response = post_form(client, f"/admin/users/{admin.id}/active", {"active": "0"},
                         form_page="/admin/users", follow_redirects=True)
    assert "U kunt uw eigen account niet deactiveren." in response.get_data(as_text=True)
    response = post_form(client, f"/admin/users/{admin.id}/role", {"role": "advisor"},
                         form_page="/admin/users", follow_redirects=True)
    assert "U kunt uw eigen beheerdersrol niet intrekken." in response.get_data(as_text=True)
    assert fresh(admin).role is Role.ADMIN and fresh(admin).active
    assert logged_in(client)


def test_an_unknown_user_is_404(client, admin):
    response = post_form(client, "/admin/users/999/role", {"role": "coach"},
                         form_page="/admin/users")
    assert response.status_code == 404


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.COACH])
def test_other_roles_get_403(client, role):
    anna = make_user(role=role)
    log_in(client)
    assert client.get("/admin/users").status_code == 403
    token = csrf_token(client, "/account/profile")
    for path, data in ((f"/admin/users/{anna.id}/role", {"role": "admin"}),
                       (f"/admin/users/{anna.id}/active", {"active": "0"})):
        response = client.post(path, data={"csrf_token": token, **data})
        assert response.status_code == 403
        assert "U heeft geen toegang tot deze pagina." in response.get_data(as_text=True)
    assert fresh(anna).role is role and fresh(anna).active


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/admin/users")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login?next=")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Log in om deze pagina te zien." in page


def test_changes_need_a_post(client, admin):
    anna = make_user()
    assert client.get(f"/admin/users/{anna.id}/active").status_code == 405
    assert fresh(anna).active


def test_long_lists_are_paged(client, admin):
    for number in range(55):
        db.session.add(User(email=f"user{number:02d}@example.com", name=f"User {number}",
                            password_hash="-"))
    db.session.commit()
    first = client.get("/admin/users").get_data(as_text=True)
    assert "Pagina 1 van 2" in first and "user48@example.com" in first
    second = client.get("/admin/users?page=2").get_data(as_text=True)
    assert "user49@example.com" in second and "user48@example.com" not in second


def test_an_admin_invites_a_coach_who_chooses_a_password(app, client, admin, mailbox):
    response = post_form(client, "/admin/coaches/invite", {
        "name": "Carel Coach", "email": "Carel@Example.com", "language": "en"})
    assert response.status_code == 302
    response.close()  # as a WSGI server does: the mail goes out after the response
    coach = db.session.execute(db.select(User).filter_by(email="carel@example.com")).scalar_one()
    assert (coach.role, coach.name, coach.language) == (Role.COACH, "Carel Coach", "en")
    [message] = mailbox.to("carel@example.com")
    assert message["Subject"] == "Ada Admin invites you to pib360 as a coach"
    [link] = mailbox.links(message)
    path = link.removeprefix("http://localhost")
    assert path.startswith("/account/welcome/")
    browser = app.test_client()
    page = browser.get(path).get_data(as_text=True)
    assert "carel@example.com" in page
    chosen = "a password of my own"
    post_form(browser, path, {"password": chosen, "confirm": chosen})
    assert log_in(browser, "carel@example.com", chosen).status_code == 302
    assert browser.get("/coach/").status_code == 200
    # The link worked once.
    again = app.test_client().get(path, follow_redirects=True).get_data(as_text=True)
    assert "verlopen of al gebruikt" in again


def test_inviting_an_existing_address_says_so_and_sends_nothing(client, admin, mailbox):
    make_user()
    page = post_form(client, "/admin/coaches/invite", {
        "name": "Anna", "email": "anna@example.com", "language": "nl"}).get_data(as_text=True)
    assert "Er bestaat al een account met dit adres" in page
    assert fresh(db.session.execute(db.select(User).filter_by(
        email="anna@example.com")).scalar_one()).role is Role.ADVISOR
    assert mailbox.to("anna@example.com") == []


def test_an_admin_is_offered_no_way_to_change_their_own_role_or_status(client, admin):
    anna = make_user()
    page = client.get("/admin/users").get_data(as_text=True)
    for path in ("role", "active", "deactivate"):
        assert f"/admin/users/{admin.id}/{path}" not in page
        assert f"/admin/users/{anna.id}/" in page
    assert "uw eigen account" in page


def test_deactivating_asks_for_confirmation_first(client, admin):
    anna = make_user()
    page = client.get("/admin/users").get_data(as_text=True)
    assert f'href="/admin/users/{anna.id}/deactivate?page=1"' in page
    confirm = client.get(f"/admin/users/{anna.id}/deactivate").get_data(as_text=True)
    assert "Anna Jansen deactiveren?" in confirm and fresh(anna).active
    post_form(client, f"/admin/users/{anna.id}/active", {"active": "0"},
              form_page=f"/admin/users/{anna.id}/deactivate")
    assert not fresh(anna).active
    # No confirmation page for one's own account.
    assert client.get(f"/admin/users/{admin.id}/deactivate").status_code == 302
