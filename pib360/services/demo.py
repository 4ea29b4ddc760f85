"""Demo data, so a person trying pib360 locally has something to look at."""

import random
import uuid

from pib360.extensions import db
from pib360.models import FeedbackRound, Invitation, Response, Role, User
from pib360.models.types import utcnow
from pib360.services import accounts, instruments, rounds

DEMO_PASSWORD = "demo-password-360"
DEMO_USERS = (
    (Role.ADVISOR, "advisor@example.com", "Anna de Adviseur"),
    (Role.COACH, "coach@example.com", "Carel de Coach"),
    (Role.ADMIN, "admin@example.com", "Ada Admin"),
)
DEMO_CLIENTS = 7
# How the demo advisor sees themself and how clients see her, per dimension: she
# rates her expertise higher than clients do and underrates the closeness they feel.
SELF_VIEW = {"credibility": 6, "reliability": 5, "intimacy": 4, "self_orientation": 3}
CLIENT_VIEW = {"credibility": 5.0, "reliability": 5.4, "intimacy": 5.3, "self_orientation": 3.6}
COMMENTS = {
    "keep_doing": [
        "Altijd goed bereikbaar en ze denkt echt mee.",
        "De heldere samenvattingen na elk overleg.",
        "Ze durft te zeggen wat ze ziet, ook als dat ongemakkelijk is.",
    ],
    "do_differently": [
        "Soms komt de oplossing te snel, voordat ik mijn verhaal af heb.",
        "Wat vaker vragen hoe het met ons team gaat.",
    ],
}


def create_demo() -> list[tuple[str, str, str]]:
    """Create what is missing of the demo data; return (role, e-mail, password) per login."""
    for role, email, name in DEMO_USERS:
        if accounts.find_user(email) is None:
            user = User(email=email, name=name, role=role, language="nl")
            user.set_password(DEMO_PASSWORD)
            db.session.add(user)
    db.session.commit()
    advisor = accounts.find_user(DEMO_USERS[0][1])
    if not rounds.rounds_of(advisor):
        _closed_round(advisor)
    return [(role.value, email, DEMO_PASSWORD) for role, email, _ in DEMO_USERS]


def _closed_round(advisor: User) -> FeedbackRound:
    """A round with a self-assessment and answers from seven clients, then closed."""
    instrument = instruments.current()
    rng = random.Random(360)  # the same demo every time
    feedback_round = FeedbackRound(
        advisor=advisor, title="Demo: najaar 2026", language="nl", min_clients=3,
        instrument_id=instrument.id, instrument_version=instrument.version,
        self_answers=_answers(instrument, SELF_VIEW, rng, spread=0.6, role="expert"),
        self_completed=True,
    )
    db.session.add(feedback_round)
    feedback_round.open(utcnow())
    for number in range(DEMO_CLIENTS + 1):
        invitation = Invitation(feedback_round=feedback_round, email=f"klant{number}@example.com")
        invitation.used = number < DEMO_CLIENTS
        db.session.add(invitation)
    db.session.flush()
    for number in range(DEMO_CLIENTS):
        answers = _answers(instrument, CLIENT_VIEW, rng, spread=1.0,
                           role=rng.choice(["expert_plus", "valued_helper", "expert_plus"]))
        for item_id, texts in COMMENTS.items():
            if number < len(texts):
                answers[item_id] = texts[number]
        db.session.add(Response(id=uuid.uuid4(), round_id=feedback_round.id, answers=answers))
    db.session.commit()
    rounds.close_round(feedback_round)
    return feedback_round


def _answers(instrument, view: dict, rng: random.Random, spread: float, role: str) -> dict:
    answers: dict = {}
    low, high = instrument.scale_min, instrument.scale_max
    for item in instrument.scale_items:
        if rng.random() < 0.08:
            answers[item.id] = None  # cannot judge
            continue
        score = view[item.dimension] + rng.gauss(0, spread)
        value = min(high, max(low, round(score)))
        answers[item.id] = instrument.reverse_score(value) if item.reverse else value
    answers[instrument.choice_item.id] = role
    return answers
