"""sessions out of the URL: idle timeout, shared login throttle

Revision ID: auth_1
Revises: hosttalk_1

Adds auth_token.last_seen_at (the session's last activity, for the idle timeout) and the table
login_throttle (failed-login counts per name-and-source and per source, shared by every server
process; see services/throttle.py).
"""
from alembic import op
import sqlalchemy as sa


revision = "auth_1"
down_revision = "hosttalk_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("auth_token", sa.Column("last_seen_at", sa.DateTime(), nullable=True))
    op.create_table(
        "login_throttle",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name_hash", sa.String(length=64), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index(op.f("ix_login_throttle_name_hash"), "login_throttle", ["name_hash"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_login_throttle_name_hash"), table_name="login_throttle")
    op.drop_table("login_throttle")
    with op.batch_alter_table("auth_token") as batch:
        batch.drop_column("last_seen_at")
