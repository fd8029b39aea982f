"""live capture: message log, interaction tallies, viewers, feed heartbeat, gaps

Revision ID: capture_1
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = "capture_1"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "capture_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=24), nullable=False),
        sa.Column("msg_id", sa.String(length=160), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("nickname", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("client_key", sa.String(length=64), nullable=True),
        sa.Column("item", sa.String(length=200), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["show_id"], ["show.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("show_id", "platform", "msg_id", name="uq_capture_message_key"),
    )
    op.create_index("ix_capture_message_show_kind_at", "capture_message", ["show_id", "kind", "at"])
    op.create_index("ix_capture_message_user", "capture_message", ["platform", "user_id"])
    op.create_table(
        "capture_minute",
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("minute", sa.DateTime(), nullable=False),
        sa.Column("enters", sa.Integer(), nullable=False),
        sa.Column("likes", sa.Integer(), nullable=False),
        sa.Column("gifts", sa.Integer(), nullable=False),
        sa.Column("follows", sa.Integer(), nullable=False),
        sa.Column("orders", sa.Integer(), nullable=False),
        sa.Column("interactors", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["show_id"], ["show.id"]),
        sa.PrimaryKeyConstraint("show_id", "minute"),
    )
    op.create_table(
        "capture_viewer",
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=24), nullable=False),
        sa.Column("user_id", sa.String(length=128), nullable=False),
        sa.Column("nickname", sa.String(length=100), nullable=False),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("interacted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["show_id"], ["show.id"]),
        sa.PrimaryKeyConstraint("show_id", "platform", "user_id"),
    )
    op.create_table(
        "capture_feed",
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("connected", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("per_minute", sa.Integer(), nullable=False),
        sa.Column("last_message_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=False),
        sa.Column("room_likes", sa.Integer(), nullable=True),
        sa.Column("received", sa.Integer(), nullable=False),
        sa.Column("stored", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("malformed", sa.Integer(), nullable=False),
        sa.Column("unknown", sa.Integer(), nullable=False),
        sa.Column("db_retries", sa.Integer(), nullable=False),
        sa.Column("lost", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("stopped_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["show_id"], ["show.id"]),
        sa.PrimaryKeyConstraint("show_id"),
    )
    op.create_table(
        "capture_gap",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("reason", sa.String(length=24), nullable=False),
        sa.ForeignKeyConstraint(["show_id"], ["show.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_capture_gap_show_started", "capture_gap", ["show_id", "started_at"])


def downgrade() -> None:
    op.drop_index("ix_capture_gap_show_started", table_name="capture_gap")
    op.drop_table("capture_gap")
    op.drop_table("capture_feed")
    op.drop_table("capture_viewer")
    op.drop_table("capture_minute")
    op.drop_index("ix_capture_message_user", table_name="capture_message")
    op.drop_index("ix_capture_message_show_kind_at", table_name="capture_message")
    op.drop_table("capture_message")
