"""a minimum of three clients; report files computed by the old rules are deleted

Rounds that still take answers (drafts and open rounds) with a minimum below three get
three: with two, one real client and one address of the advisor's own gave that client's
answers back. Closed rounds keep the minimum their report was published with.

Stored charts and documents were computed before every figure rested on published
answers only, and could carry suppressed answers by arithmetic: they are deleted, and
rendered anew with the current rules when next asked for.

Revision ID: b7c1d2e3f4a5
Revises: 30e3fa6f2bba
Create Date: 2026-11-30 13:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c1d2e3f4a5'
down_revision = '30e3fa6f2bba'
branch_labels = None
depends_on = None


def upgrade():
    feedback_round = sa.table('feedback_round', sa.column('min_clients', sa.Integer),
                              sa.column('status', sa.String))
    op.execute(feedback_round.update()
               .where(feedback_round.c.status.in_(['draft', 'open']),
                      feedback_round.c.min_clients < 3)
               .values(min_clients=3))
    op.execute(sa.table('report_file').delete())


def downgrade():
    pass  # nothing to undo: a higher minimum and re-rendered files are both still right
