"""rounds can be cancelled; mail names the advisor as sender; a client's mail language

A cancelled round keeps its title and counts only (`response_count`, `cancelled_at`); an
outbox message carries the display name of its From header; an invitation may go out in
another language than its round's.

Revision ID: c4e8a1f2b3d5
Revises: 4c2e8a1d9b7f
Create Date: 2026-11-30 15:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

import pib360.models.types


# revision identifiers, used by Alembic.
revision = 'c4e8a1f2b3d5'
down_revision = '4c2e8a1d9b7f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('feedback_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('response_count', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cancelled_at', pib360.models.types.UTCDateTime(),
                                      nullable=True))
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=5), nullable=True))
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sender_name', sa.String(length=200), nullable=True))


def downgrade():
    # A cancelled round has no status the old code knows: it becomes a closed round
    # without responses, which is what is left of it.
    feedback_round = sa.table('feedback_round', sa.column('status', sa.String),
                              sa.column('closed_at', pib360.models.types.UTCDateTime()),
                              sa.column('cancelled_at', pib360.models.types.UTCDateTime()))
    op.execute(feedback_round.update().where(feedback_round.c.status == 'cancelled')
               .values(status='closed', closed_at=feedback_round.c.cancelled_at))
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('sender_name')
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('feedback_round', schema=None) as batch_op:
        batch_op.drop_column('cancelled_at')
        batch_op.drop_column('response_count')
