"""Demo data, so a person trying pib360 locally has something to look at."""

import random
import uuid
from dataclasses import dataclass
from datetime import timedelta

from pib360 import clock
from pib360.database import use_case
from pib360.extensions import db
from pib360.models import (
    CoachNote,
    Cohort,
    CohortMember,
    DevelopmentPlan,
    FeedbackRound,
    FocusKind,
    FocusPoint,
    Invitation,
    PlanAction,
    PlanComment,
    Response,
    Role,
    User,
)
from pib360.models.types import utcnow
from pib360.services import accounts, instruments, norms, rounds, sharing

DEMO_PASSWORD = "demo-password-360"
DEMO_USERS = (
    (Role.ADVISOR, "advisor@example.com", "Anna de Adviseur"),
    (Role.COACH, "coach@example.com", "Carel de Coach"),
    (Role.ADMIN, "admin@example.com", "Ada Admin"),
    # Two more advisors, so the demo group report has a group to show.
    (Role.ADVISOR, "bram@example.com", "Bram Bakker"),
    (Role.ADVISOR, "chantal@example.com", "Chantal Claes"),
)
DEMO_COHORT = "Demo: PiB-traject 2026"
# Synthetic advisors, one closed round each, so the norm and the instrument quality page
# have figures to show: more than the norm's default minimum of 30 advisors.
NORM_ADVISORS = 32
NORM_ROUND_TITLE = "Demo: normgroep 2026"
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

# The demo advisor's own answers to the open questions, shown beside the clients'.
OWN_ANSWERS = {
    "keep_doing": "Goed luisteren en na elk overleg helder samenvatten wat we afspraken.",
    "do_differently": "Minder snel met een oplossing komen: eerst doorvragen.",
}


@dataclass(frozen=True)
class DemoRound:
    """A closed round of a demo advisor: how they see themself and how clients see them."""

    email: str
    title: str
    seed: int
    self_view: dict
    client_view: dict
    closed_days_ago: int = 0
    comments: bool = False
    # How much each client's general impression shifts all their answers: what makes the
    # answers of one scale hang together, so the quality page has realistic reliabilities.
    impression: float = 0.0


DEMO_ROUNDS = (
    # Anna half a year earlier: clients found her less close and more self-oriented then.
    DemoRound("advisor@example.com", "Demo: voorjaar 2026", 180,
              {"credibility": 6, "reliability": 5, "intimacy": 4, "self_orientation": 3},
              {"credibility": 4.7, "reliability": 5.1, "intimacy": 4.6, "self_orientation": 4.2},
              closed_days_ago=180),
    DemoRound("advisor@example.com", "Demo: najaar 2026", 360, SELF_VIEW, CLIENT_VIEW,
              comments=True),
    DemoRound("bram@example.com", "Demo: najaar 2026", 361,
              {"credibility": 5, "reliability": 6, "intimacy": 5, "self_orientation": 2},
              {"credibility": 5.5, "reliability": 5.0, "intimacy": 4.4, "self_orientation": 3.1}),
    DemoRound("chantal@example.com", "Demo: najaar 2026", 362,
              {"credibility": 6, "reliability": 6, "intimacy": 6, "self_orientation": 2},
              {"credibility": 5.2, "reliability": 5.6, "intimacy": 5.0, "self_orientation": 2.9}),
)


@use_case
def create_demo() -> list[tuple[str, str, str]]:
    """Create what is missing of the demo data; return (role, e-mail, password) per login."""
    for role, email, name in DEMO_USERS:
        if accounts.find_user(email) is None:
            user = User(email=email, name=name, role=role, language="nl")
            user.set_password(DEMO_PASSWORD)
            db.session.add(user)
    db.session.flush()
    for spec in DEMO_ROUNDS:
        advisor = accounts.find_user(spec.email)
        if not any(r.title == spec.title for r in rounds.rounds_of(advisor)):
            _closed_round(advisor, spec)
    coach = accounts.find_user("coach@example.com")
    _demo_cohort(coach)
    _demo_plan(accounts.find_user("advisor@example.com"), coach)
    _norm_group()
    db.session.flush()
    norms.recompute_norms(force=True)
    return [(role.value, email, DEMO_PASSWORD) for role, email, _ in DEMO_USERS]


def _norm_group() -> None:
    """Synthetic demo advisors with one closed round each, for the norm and quality page."""
    password_hash = None  # hashed once: scrypt per account would take seconds
    for number in range(1, NORM_ADVISORS + 1):
        email = f"demo-adviseur-{number:02d}@example.com"
        advisor = accounts.find_user(email)
        if advisor is None:
            if password_hash is None:
                probe = User()
                probe.set_password(DEMO_PASSWORD)
                password_hash = probe.password_hash
            advisor = User(email=email, name=f"Demo-adviseur {number:02d}", role=Role.ADVISOR,
                           language="nl", password_hash=password_hash)
            db.session.add(advisor)
            db.session.flush()
        if any(r.title == NORM_ROUND_TITLE for r in rounds.rounds_of(advisor)):
            continue
        rng = random.Random(1000 + number)
        client_view = {
            "credibility": rng.uniform(4.2, 6.0), "reliability": rng.uniform(4.2, 6.0),
            "intimacy": rng.uniform(3.6, 5.8), "self_orientation": rng.uniform(2.2, 4.4),
        }
        self_view = {dimension: min(7, max(1, round(value + rng.uniform(-1, 1))))
                     for dimension, value in client_view.items()}
        _closed_round(advisor, DemoRound(email, NORM_ROUND_TITLE, 1000 + number, self_view,
                                         client_view, closed_days_ago=rng.randint(1, 60),
                                         impression=0.9))


def _demo_cohort(coach: User) -> None:
    """Every demo advisor shares with the demo coach and is in the demo group."""
    cohort = db.session.execute(
        db.select(Cohort).filter_by(coach_id=coach.id, name=DEMO_COHORT)
    ).scalar_one_or_none()
    if cohort is None:
        cohort = Cohort(coach=coach, name=DEMO_COHORT)
        db.session.add(cohort)
        db.session.flush()
    for role, email, _name in DEMO_USERS:
        if role is not Role.ADVISOR:
            continue
        advisor = accounts.find_user(email)
        sharing.ensure_share(advisor, coach)
        if db.session.get(CohortMember, (cohort.id, advisor.id)) is None:
            db.session.add(CohortMember(cohort=cohort, advisor=advisor))


# Anna's plan after her spring round: closer to her clients, less of her own agenda. The
# autumn round's report shows how both moved.
DEMO_PLAN = (
    (FocusKind.DIMENSION, "intimacy", "Ik maak ruimte voor wat mijn klanten persoonlijk "
     "bezighoudt.", (("Elk overleg beginnen met een vraag over de klant zelf", True),
                     ("Per kwartaal een gesprek zonder agenda met mijn vijf grootste klanten",
                      True),
                     ("Na een moeilijk gesprek de volgende dag bellen", False))),
    (FocusKind.DIMENSION, "self_orientation", "Ik luister tot het verhaal af is voordat ik "
     "een oplossing geef.", (("Eerst samenvatten wat de klant zei, dan pas voorstellen", True),
                              ("Geen voorstel doen in een eerste gesprek", False))),
)
DEMO_COMMENT = ("Mooi dat je intimiteit kiest: daar zit bij jou de grootste winst. Neem in ons "
                "volgende gesprek een voorbeeld mee van een gesprek zonder agenda.")


def _demo_plan(advisor: User, coach: User) -> None:
    """The development plan of the demo advisor's earlier round, with the coach's comment."""
    spring = next(r for r in rounds.rounds_of(advisor) if r.title == DEMO_ROUNDS[0].title)
    if db.session.execute(db.select(DevelopmentPlan).filter_by(round_id=spring.id)).first():
        return
    plan = DevelopmentPlan(round=spring)
    done_at = spring.closed_at + timedelta(days=30)
    for kind, key, intention, actions in DEMO_PLAN:
        point = FocusPoint(kind=kind, key=key, intention=intention)
        point.actions = [PlanAction(text=text, done_at=done_at if done else None,
                                    target_date=(spring.closed_at + timedelta(days=90)).date())
                         for text, done in actions]
        plan.focus_points.append(point)
    plan.comments.append(PlanComment(coach=coach, text=DEMO_COMMENT,
                                     created_at=spring.closed_at + timedelta(days=14)))
    db.session.add_all([plan, CoachNote(coach=coach, advisor=advisor, text=(
        "Anna wil naar de rol van vertrouwde adviseur. Vragen: durft ze te confronteren?"))])


def _closed_round(advisor: User, spec: DemoRound) -> FeedbackRound:
    """A round with a self-assessment and answers from seven clients, then closed."""
    instrument = instruments.current()
    rng = random.Random(spec.seed)  # the same demo every time
    feedback_round = FeedbackRound(
        advisor=advisor, title=spec.title, language="nl", min_clients=3,
        instrument_id=instrument.id, instrument_version=instrument.version,
        self_answers=_answers(instrument, spec.self_view, rng, spread=0.6, role="expert"),
        self_completed=True,
    )
    if spec.comments:
        feedback_round.self_answers = {**feedback_round.self_answers, **OWN_ANSWERS}
    db.session.add(feedback_round)
    feedback_round.open(utcnow(), clock.zone())
    for number in range(DEMO_CLIENTS + 1):
        invitation = Invitation(feedback_round=feedback_round, email=f"klant{number}@example.com")
        invitation.used = number < DEMO_CLIENTS
        db.session.add(invitation)
    db.session.flush()
    for number in range(DEMO_CLIENTS):
        view = spec.client_view
        if spec.impression:
            shift = rng.gauss(0, spec.impression)
            # More favourable means less self-oriented.
            view = {d: v - shift if d == "self_orientation" else v + shift
                    for d, v in view.items()}
        answers = _answers(instrument, view, rng, spread=1.0,
                           role=rng.choice(["expert_plus", "valued_helper", "expert_plus"]))
        for item_id, texts in COMMENTS.items() if spec.comments else ():
            if number < len(texts):
                answers[item_id] = texts[number]
        db.session.add(Response(id=uuid.uuid4(), round_id=feedback_round.id, answers=answers))
    db.session.flush()
    rounds.close_round(feedback_round)
    # The demo sends no mail: its invitations count as delivered, as real ones would.
    feedback_round.delivered_count = feedback_round.invited_count
    if spec.closed_days_ago:
        # An earlier round, so the trend has something to show.
        earlier = timedelta(days=spec.closed_days_ago)
        feedback_round.created_at -= earlier + timedelta(days=21)
        feedback_round.opened_at -= earlier + timedelta(days=21)
        feedback_round.closed_at -= earlier
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
