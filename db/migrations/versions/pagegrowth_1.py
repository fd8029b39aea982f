"""pagegrowth: the review's per-point pickup counts kept per show version

Revision ID: pagegrowth_1
Revises: scale_1

Adds pickup_point_tally (show_id, version, points, delivery): services.pickup.stats reads one row while
the show's version has not moved, instead of grouping every order of the night again; and the
index fulfilment_item (promise_id, active, done, due_at): a promise's progress (total, done,
overdue) is counted from index ranges, without reading its items.
"""
import sqlalchemy as sa
from alembic import op


revision = "pagegrowth_1"
down_revision = "scale_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pickup_point_tally",
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("points", sa.JSON(), nullable=False),
        sa.Column("delivery", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["show_id"], ["show.id"]),
        sa.PrimaryKeyConstraint("show_id"),
    )
    op.create_index("ix_fulfilment_promise_active_done_due", "fulfilment_item",
                    ["promise_id", "active", "done", "due_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_fulfilment_promise_active_done_due", table_name="fulfilment_item")
    op.drop_table("pickup_point_tally")
