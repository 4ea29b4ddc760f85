"""survey session keys; ids never reused

The survey cookie carries a random per-invitation session key instead of the invitation's
id, and on SQLite every table with an integer id gets AUTOINCREMENT, so a deleted row's id
(a closed round's invitation, say) is never handed out again.

Revision ID: 30e3fa6f2bba
Revises: 5f5fa62675d6
Create Date: 2026-11-30 12:24:04.017871

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '30e3fa6f2bba'
down_revision = '5f5fa62675d6'
branch_labels = None
depends_on = None

# Parents before children, so each rebuilt table's foreign keys find their target.
TABLES = ("user", "outbox_message", "feedback_round", "share", "cohort", "report_file",
          "invitation", "cohort_invitation", "invitation_link")


def upgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_key', sa.String(length=64), nullable=True))
    bind = op.get_bind()
    invitation = sa.table('invitation', sa.column('id'), sa.column('session_key'))
    for (invitation_id,) in bind.execute(sa.select(invitation.c.id)).all():
        bind.execute(invitation.update().where(invitation.c.id == invitation_id)
                     .values(session_key=secrets.token_urlsafe(32)))
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.alter_column('session_key', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_invitation_session_key'), ['session_key'])
    _autoincrement(True)


def downgrade():
    _autoincrement(False)
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_invitation_session_key'), type_='unique')
        batch_op.drop_column('session_key')


def _autoincrement(on: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL's sequences never go back
    for table in TABLES:
        with op.batch_alter_table(table, recreate="always",
                                  table_kwargs={"sqlite_autoincrement": on}):
            pass
