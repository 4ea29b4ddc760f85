"""instruments an admin installs, and the choice of the default

An uploaded instrument file is stored as its TOML text, unique per id and version; the
latest row of `default_instrument` names the instrument new rounds use (none: the shipped
default).

Revision ID: d5f9b2c3e4a6
Revises: c4e8a1f0d2b6
Create Date: 2026-11-30 16:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import pib360.models.types


# revision identifiers, used by Alembic.
revision = 'd5f9b2c3e4a6'
down_revision = 'c4e8a1f0d2b6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('installed_instrument',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instrument_id', sa.String(length=50), nullable=False),
    sa.Column('version', sa.String(length=20), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('installed_at', pib360.models.types.UTCDateTime(), nullable=False),
    sa.Column('installed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['installed_by_id'], ['user.id'], name=op.f('fk_installed_instrument_installed_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_installed_instrument')),
    sa.UniqueConstraint('instrument_id', 'version', name=op.f('uq_installed_instrument_instrument_id')),
    sqlite_autoincrement=True
    )
    op.create_table('default_instrument',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instrument_id', sa.String(length=50), nullable=False),
    sa.Column('version', sa.String(length=20), nullable=False),
    sa.Column('chosen_at', pib360.models.types.UTCDateTime(), nullable=False),
    sa.Column('chosen_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['chosen_by_id'], ['user.id'], name=op.f('fk_default_instrument_chosen_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_default_instrument')),
    sqlite_autoincrement=True
    )


def downgrade():
    op.drop_table('default_instrument')
    op.drop_table('installed_instrument')
