"""Who reads what: every report, download, trend, sharing and coach URL, walked as every
kind of visitor. Only the owner and the coach they share with get the owner's data.

The URLs come from the app's url_map, so a route added later under one of these prefixes is
walked too, with its ids filled in from the scene below.
"""

import io
import itertools
import zipfile
from dataclasses import dataclass

import pytest
from werkzeug.routing import AnyConverter

from pib360.extensions import db
from pib360.models import (
    CoachNote,
    CohortMember,
    DevelopmentPlan,
    FocusKind,
    FocusPoint,
    PlanAction,
    PlanComment,
    Role,
)
from pib360.services import cohorts, sharing
from tests.helpers import csrf_token, log_in, make_closed_round, make_user

PREFIXES = ("/reports", "/trend", "/coach", "/sharing", "/plans", "/quality", "/account/data")
# The owner's data: none of it may reach anyone but the owner and the sharing coach.
MARKERS = ("Olga Owner", "Geheime ronde", "Geheime groep", "olga@example.com",
           "Geheim voornemen", "Geheime actie", "Geheime opmerking", "Geheime notitie")
VIEWERS = ("anonymous", "owner", "sharing_coach", "other_advisor", "unrelated_coach",
           "revoked_coach", "admin")


@dataclass
class Scene:
    clients: dict
    ids: dict  # URL argument -> the owner's (or the sharing coach's) object id


@pytest.fixture
def scene(app) -> Scene:
    coach = make_user("sam@example.com", Role.COACH, "Sam Sharing")
    filler = cohorts.create_cohort(coach, "Eerdere groep")
    # Two more members, so the group report (and its PDF, which needs three) has figures;
    # made first, with an extra round, so that no two ids below are the same number and a
    # view that looks up the wrong kind of id cannot pass by accident.
    peers = [make_user(f"{name}@example.com", name=name.title()) for name in ("piet", "puck")]
    for peer in peers:
        make_closed_round(peer, title="Andere ronde")
        sharing.share_with_coach(peer, coach.email)
    for advisor in (*peers, make_user("zoe@example.com", name="Zoe")):
        make_closed_round(advisor, title="Nog een ronde")
    owner = make_user("olga@example.com", name="Olga Owner")
    feedback_round = make_closed_round(owner, client_scores=[6, 5, 7], title="Geheime ronde")
    share = sharing.share_with_coach(owner, coach.email)
    cohort = cohorts.create_cohort(coach, "Geheime groep")
    for advisor in (owner, *peers):
        db.session.add(CohortMember(cohort=cohort, advisor=advisor))
    other = make_user("otto@example.com", name="Otto Other")
    make_closed_round(other, title="Otto's ronde")
    make_user("uma@example.com", Role.COACH, "Uma Unrelated")
    revoked = make_user("rita@example.com", Role.COACH, "Rita Revoked")
    cohorts.create_cohort(revoked, "Ritas eerdere groep")
    ritas_cohort = cohorts.create_cohort(revoked, "Ritas groep")
    db.session.add(CohortMember(cohort=ritas_cohort, advisor=owner))
    db.session.commit()
    revoked_share = sharing.share_with_coach(owner, revoked.email)
    sharing.revoke(owner, revoked_share.id)
    make_user("ada@example.com", Role.ADMIN, "Ada Admin")
    # The owner's plan, with a comment of the sharing coach and a private note of theirs;
    # ids set by hand, so that none is the same number as another id of the scene.
    plan = DevelopmentPlan(round=feedback_round)
    point = FocusPoint(id=101, plan=plan, kind=FocusKind.DIMENSION, key="intimacy",
                       intention="Geheim voornemen")
    db.session.add_all([plan, point, PlanAction(id=102, focus_point=point, text="Geheime actie"),
                        PlanComment(plan=plan, coach=coach, text="Geheime opmerking"),
                        CoachNote(id=103, coach=coach, advisor=owner, text="Geheime notitie")])
    db.session.commit()
    emails = {"owner": owner.email, "sharing_coach": coach.email, "other_advisor": other.email,
              "unrelated_coach": "uma@example.com", "revoked_coach": "rita@example.com",
              "admin": "ada@example.com"}
    clients = {"anonymous": app.test_client()}
    for viewer, email in emails.items():
        clients[viewer] = app.test_client()
        log_in(clients[viewer], email=email)
    ids = {"round_id": feedback_round.id, "advisor_id": owner.id, "cohort_id": cohort.id,
           "share_id": share.id, "ritas_cohort": ritas_cohort.id, "focus_id": 101,
           "action_id": 102, "note_id": 103}
    assert filler.id not in ids.values()
    assert len(set(ids.values())) == len(ids), ids
    return Scene(clients, ids)


def urls(app, method: str, ids: dict) -> list[tuple[str, str]]:
    """(endpoint, path) of every rule under PREFIXES for `method`, ids filled in."""
    adapter = app.url_map.bind("localhost")
    found = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(PREFIXES) or method not in rule.methods:
            continue
        if rule.endpoint == "sharing.join":
            continue  # a personal link, not an id: tests/views/test_sharing.py
        choices = []
        for name in sorted(rule.arguments):
            converter = rule._converters[name]
            if isinstance(converter, AnyConverter):
                choices.append([(name, item) for item in sorted(converter.items)])
            else:
                choices.append([(name, ids[name])])
        for values in itertools.product(*choices):
            found.append((rule.endpoint, adapter.build(rule.endpoint, dict(values))))
    return found


def allowed(endpoint: str, path: str, viewer: str) -> bool:
    """Whether `viewer` may read the owner's data at this URL."""
    if endpoint.startswith(("reports.", "trend.")) and endpoint != "trend.own":
        return viewer in ("owner", "sharing_coach")
    if endpoint == "plans.show":
        return viewer in ("owner", "sharing_coach")
    if endpoint == "plans.comment":
        return viewer == "sharing_coach"  # a coach comments; the advisor reads it
    if endpoint.startswith("plans."):
        return viewer == "owner"  # only the advisor changes their plan
    if endpoint.startswith("coach."):
        return viewer == "sharing_coach"
    if endpoint == "quality.download":
        return False  # too few rounds in this scene for figures: a 404 for everyone
    if endpoint.startswith("quality."):
        # Pooled figures only, over the rounds the viewer may see (none below the minimum
        # of rounds and clients): for the admin and every coach, never for an advisor.
        return viewer in ("admin", "sharing_coach", "unrelated_coach", "revoked_coach")
    if endpoint == "privacy.export":  # a coach's own export names who shares with them
        return viewer in ("owner", "sharing_coach")
    return viewer == "owner"  # the owner's own pages: trend.own, sharing.*, privacy.*


def has_owner_data(response) -> bool:
    if response.mimetype == "application/zip":  # the export of one's own data
        with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
            body = " ".join(archive.read(name).decode("utf-8-sig")
                            for name in archive.namelist())
        return any(marker in body for marker in MARKERS)
    body = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
    return any(marker in body for marker in MARKERS) or response.mimetype != "text/html"


def test_every_url_answers_only_who_may_read_it(app, scene):
    walked = urls(app, "GET", scene.ids)
    endpoints = {endpoint for endpoint, _path in walked}
    # The pages of this feature; whatever else lives under the prefixes is walked as well.
    assert {"trend.own", "trend.show", "sharing.index", "coach.dashboard",
            "coach.cohort", "coach.cohort_report", "coach.cohort_pdf"} <= endpoints
    if "reports.show" in app.view_functions:
        assert {"reports.show"} <= endpoints
    refused = []
    for (endpoint, path), viewer in itertools.product(walked, VIEWERS):
        with scene.clients[viewer].get(path) as response:
            status = response.status_code
            if allowed(endpoint, path, viewer):
                if status != 200:
                    refused.append((viewer, path, status))
            elif viewer == "anonymous":
                assert status == 302, path
                assert response.headers["Location"].startswith("/account/login"), path
            elif status == 200:
                # Only pages without an id may answer others, and then with their own data.
                assert not any(f"{v}" in path.split("/") for v in scene.ids.values()), (
                    viewer, path)
                assert not has_owner_data(response), (viewer, path)
            else:
                assert status in (403, 404), (viewer, path, status)
    assert refused == []


def test_no_action_works_for_anyone_else(app, scene):
    actions = [(e, p) for e, p in urls(app, "POST", scene.ids) if any(
        f"/{v}/" in p for v in scene.ids.values())]
    assert {e for e, _p in actions} >= {"sharing.revoke", "sharing.leave", "coach.invite",
                                        "plans.add_focus", "plans.mark_action",
                                        "plans.comment", "coach.notes", "coach.delete_note"}

    def snapshot():
        db.session.expire_all()
        state = {t.name: sorted(map(tuple, db.session.execute(t.select()).all()), key=str)
                 for t in db.metadata.sorted_tables}
        db.session.commit()
        return state

    before = snapshot()
    for (endpoint, path), viewer in itertools.product(actions, VIEWERS):
        if allowed(endpoint, path, viewer):
            continue
        client = scene.clients[viewer]
        page = "/account/login" if viewer == "anonymous" else "/account/profile"
        data = {"csrf_token": csrf_token(client, page), "addresses": "x@example.com",
                "text": "Ingebroken", "focus": "role:expert", "intention": "Ingebroken",
                "done": "1"}
        with client.post(path, data=data) as response:
            if viewer == "anonymous":
                assert response.status_code == 302, path
            else:
                assert response.status_code in (403, 404), (viewer, path)
    assert snapshot() == before


def test_a_revoked_coach_keeps_nothing_of_the_owner(scene):
    rita = scene.clients["revoked_coach"]
    ritas_report = f"/coach/groups/{scene.ids['ritas_cohort']}/report"
    for path in ("/coach/", f"/coach/groups/{scene.ids['ritas_cohort']}", ritas_report):
        page = rita.get(path).get_data(as_text=True)
        assert "Ritas groep" in page or path == "/coach/"
        assert not any(marker in page for marker in MARKERS), path


ROUND_PAGES = ("/edit", "/preview", "/preview/invitation.html", "/preview/reminder.html",
               "/preview/survey", "/preview/survey/1", "/cancel")
ROUND_ACTIONS = ("/edit", "/extend", "/cancel", "/preview/survey/1")


def test_managing_a_round_is_for_its_advisor_alone(app, scene):
    """The pages that change, cancel or preview a round: every viewer, its owner only."""
    from pib360.models import FeedbackRound, User
    from tests.helpers import make_round

    owner = db.session.execute(db.select(User).filter_by(email="olga@example.com")).scalar_one()
    open_round = make_round(owner, title="Geheime open ronde",
                            message="Geheime boodschap", deadline=None)
    base = f"/rounds/{open_round.id}"
    for path, viewer in itertools.product(ROUND_PAGES, VIEWERS):
        with scene.clients[viewer].get(base + path) as response:
            if viewer == "owner":
                assert response.status_code == 200, path
            elif viewer == "anonymous":
                assert response.headers["Location"].startswith("/account/login"), path
            else:
                assert response.status_code in (403, 404), (viewer, path)
                assert "Geheime" not in response.get_data(as_text=True)
    for path, viewer in itertools.product(ROUND_ACTIONS, VIEWERS):
        if viewer == "owner":
            continue
        client = scene.clients[viewer]
        page = "/account/login" if viewer == "anonymous" else "/account/profile"
        data = {"csrf_token": csrf_token(client, page), "title": "Overgenomen",
                "deadline": "2099-01-01"}
        with client.post(base + path, data=data) as response:
            assert response.status_code in ((302,) if viewer == "anonymous" else (403, 404))
    db.session.expire_all()
    kept = db.session.get(FeedbackRound, open_round.id)
    assert (kept.title, kept.is_open, kept.deadline) == ("Geheime open ronde", True, None)


@pytest.mark.parametrize("path", ["/admin/coaches/invite", "/admin/users/{owner}/deactivate"])
def test_admin_pages_are_for_admins_alone(scene, path):
    """Inviting a coach and confirming a deactivation: an admin's pages, nobody else's."""
    path = path.format(owner=scene.ids["advisor_id"])
    for viewer in VIEWERS:
        with scene.clients[viewer].get(path) as response:
            if viewer == "admin":
                assert response.status_code == 200, path
            elif viewer == "anonymous":
                assert response.headers["Location"].startswith("/account/login"), path
            else:
                assert response.status_code == 403, (viewer, path)
        client = scene.clients[viewer]
        page = "/account/login" if viewer == "anonymous" else "/account/profile"
        data = {"csrf_token": csrf_token(client, page), "name": "Mallory",
                "email": "mallory@example.com", "language": "nl"}
        if viewer != "admin" and path.endswith("invite"):
            with client.post(path, data=data) as response:
                assert response.status_code in (302, 403)
    from pib360.models import User

    assert db.session.execute(db.select(User).filter_by(email="mallory@example.com")).first() \
        is None


def test_questionnaire_pages_are_for_admins_alone(scene):
    """Installing, previewing and choosing the default questionnaire: an admin's pages."""
    import io

    from pib360.services import instruments

    for viewer in VIEWERS:
        client = scene.clients[viewer]
        for path in ("/admin/instruments", "/admin/instruments/install",
                     "/admin/instruments/pib360/1.0"):
            with client.get(path) as response:
                if viewer == "admin":
                    assert response.status_code == 200, path
                elif viewer == "anonymous":
                    assert response.headers["Location"].startswith("/account/login"), path
                else:
                    assert response.status_code == 403, (viewer, path)
        if viewer == "admin":
            continue
        token = csrf_token(client, "/account/login" if viewer == "anonymous"
                           else "/account/profile")
        file = (io.BytesIO(b'id = "x"\nversion = "9"\n'), "x.toml")
        for path, data in (("/admin/instruments/install", {"file": file}),
                           ("/admin/instruments/pib360/1.0/default", {})):
            with client.post(path, data={"csrf_token": token, **data},
                             content_type="multipart/form-data") as response:
                assert response.status_code in (302, 403), (viewer, path)
    from pib360.models import DefaultInstrument

    assert db.session.execute(db.select(DefaultInstrument)).first() is None
    assert [entry.instrument.version for entry in instruments.installed()] == ["1.0"]
