"""installation-wide norms

Quantiles of the advisors' client figures per instrument version and measure, recomputed
by `flask pib360 deliver` when a round has closed.

Revision ID: 4c2e8a1d9b7f
Revises: 7dd5cab1bc06
Create Date: 2026-11-30 15:40:00

"""
from alembic import op
import sqlalchemy as sa

import pib360.models.types


# revision identifiers, used by Alembic.
revision = '4c2e8a1d9b7f'
down_revision = '7dd5cab1bc06'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('norm_figure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instrument_id', sa.String(length=50), nullable=False),
    sa.Column('instrument_version', sa.String(length=20), nullable=False),
    sa.Column('measure', sa.String(length=30), nullable=False),
    sa.Column('advisors', sa.Integer(), nullable=False),
    sa.Column('min_advisors', sa.Integer(), nullable=False),
    sa.Column('quantiles', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('computed_at', pib360.models.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_norm_figure')),
    sa.UniqueConstraint('instrument_id', 'instrument_version', 'measure', name=op.f('uq_norm_figure_instrument_id')),
    sqlite_autoincrement=True
    )


def downgrade():
    op.drop_table('norm_figure')
