"""Submitted answers on their way to becoming anonymous responses.

A submit marks the invitation used and keeps the final answers on it. They move into the
response table (a random key, the round, the answers: nothing that points back) in
shuffled batches of at least the round's minimum, or all at once when the round closes.
So a response is never written in the transaction that marked its invitation used:
PostgreSQL stamps every row version with the transaction that wrote it (`xmin`), and the
database operator could otherwise pair each response with its client. A batch pairs at
least the minimum of invitations with as many responses, none with one in particular.
"""

import random
import uuid

from sqlalchemy import insert, update

from pib360.extensions import db
from pib360.models import Invitation, Response

_shuffle = random.SystemRandom().shuffle


def release(round_id: int, at_least: int) -> int:
    """Move the round's waiting answers into responses, if at least `at_least` wait.

    Runs inside the caller's transaction; returns how many moved.
    """
    waiting = db.session.execute(
        db.select(Invitation.id, Invitation.submitted_answers)
        .where(Invitation.round_id == round_id, Invitation.submitted_answers.is_not(None))
        .with_for_update()
    ).all()
    if not waiting or len(waiting) < at_least:
        return 0
    answers = [submitted for _id, submitted in waiting]
    _shuffle(answers)
    db.session.execute(insert(Response), [
        {"id": uuid.uuid4(), "round_id": round_id, "answers": submitted} for submitted in answers
    ])
    db.session.execute(
        update(Invitation).where(Invitation.id.in_([id_ for id_, _answers in waiting]))
        .values(submitted_answers=None).execution_options(synchronize_session=False)
    )
    return len(waiting)
