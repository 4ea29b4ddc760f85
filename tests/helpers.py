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
    page = client.get(path, follow_redirects=True).get_data(as_text=True)
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


def full_answers(instrument, value=5, role="expert", texts=None) -> dict:
    """An answer for every scale item (`value`, or a callable of the item), a role and texts."""
    answers = {}
    for item in instrument.scale_items:
        answers[item.id] = value(item) if callable(value) else value
    if instrument.choice_item is not None and role is not None:
        answers[instrument.choice_item.id] = role
    for item, text in zip(instrument.text_items, texts or (), strict=False):
        answers[item.id] = text
    return answers


def make_round(advisor, status="open", title="Voorjaar 2027", min_clients=3, self_value=5,
               **fields):
    """Create a round for `advisor`, opened (and self-assessed) unless told otherwise."""
    from pib360.models import FeedbackRound, RoundStatus
    from pib360.models.types import utcnow
    from pib360.services import instruments

    instrument = instruments.current()
    feedback_round = FeedbackRound(
        advisor=advisor, title=title, language=fields.pop("language", "nl"),
        min_clients=min_clients, instrument_id=instrument.id,
        instrument_version=instrument.version, self_answers={}, **fields,
    )
    if self_value is not None:
        feedback_round.self_answers = full_answers(instrument, self_value)
        feedback_round.self_completed = True
    if status in ("open", "closed"):
        feedback_round.status = RoundStatus.OPEN
        feedback_round.opened_at = utcnow()
    db.session.add(feedback_round)
    db.session.commit()
    return feedback_round


def make_invitation(feedback_round, email="client@example.com", name=None):
    """An invitation with a known link token (as if the invitation mail was sent)."""
    import secrets

    from pib360.models import Invitation, InvitationLink
    from pib360.services.invitations import hash_token

    token = secrets.token_urlsafe(32)
    invitation = Invitation(feedback_round=feedback_round, email=email, name=name)
    invitation.links.append(InvitationLink(token_hash=hash_token(token)))
    db.session.add(invitation)
    db.session.commit()
    return invitation, token


def answer_survey(client, instrument, answers: dict, submit=True):
    """Fill in every page of the survey the way a client does; return the last response."""
    from pib360.services import questionnaire

    pages = questionnaire.pages(instrument)
    response = None
    for page in pages:
        data = {}
        for item in page.items:
            if item.id in answers:
                value = answers[item.id]
                data[f"q-{item.id}"] = "na" if value is None else str(value)
        last = page.number == len(pages)
        data["go"] = "submit" if (last and submit) else ("stop" if last else "next")
        response = post_form(client, f"/survey/{page.number}", data)
    return response


def scored_answers(instrument, scores, role="expert") -> dict:
    """Answers whose item scores, after reversal, are `scores[dimension]` (or `scores`)."""

    def value(item):
        score = scores[item.dimension] if isinstance(scores, dict) else scores
        return instrument.reverse_score(score) if item.reverse else score

    return full_answers(instrument, value, role=role)


def make_closed_round(advisor, self_scores=5, client_scores=(6, 6, 6), title="Najaar 2026",
                      min_clients=3, closed_at=None):
    """A closed round: the self-assessment and one response per entry of `client_scores`,
    each scoring every dimension as `scored_answers` does."""
    import uuid

    from pib360.models import Response
    from pib360.models.types import utcnow
    from pib360.services import instruments

    feedback_round = make_round(advisor, title=title, min_clients=min_clients)
    instrument = instruments.for_round(feedback_round)
    feedback_round.self_answers = scored_answers(instrument, self_scores)
    for scores in client_scores:
        db.session.add(Response(id=uuid.uuid4(), round_id=feedback_round.id,
                                answers=scored_answers(instrument, scores, role="expert_plus")))
    feedback_round.close(closed_at or utcnow())
    db.session.commit()
    return feedback_round
