"""retention notice of closed rounds

Closed rounds are deleted PIB360_RETENTION_MONTHS after closing; the advisor is told a
month ahead, and the round remembers when.

Revision ID: c4e8a1f0d2b6
Revises: c4e8a1f2b3d5
Create Date: 2026-11-30 16:05:00.000000

"""
from alembic import op
import sqlalchemy as sa

import pib360.models.types


# revision identifiers, used by Alembic.
revision = 'c4e8a1f0d2b6'
down_revision = 'c4e8a1f2b3d5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('feedback_round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_notice_at', pib360.models.types.UTCDateTime(),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('feedback_round', schema=None) as batch_op:
        batch_op.drop_column('retention_notice_at')
