"""pickup and delivery: hand-overs at the counter, delivery runs, pickup links

Revision ID: pickup_1
Revises: capture_1

Adds chain_entry.phone_tail (computed by the database from phone, indexed: the counter's
手机尾号 lookup), fulfilment_item.fulfilled_via and an index on fulfilment_item.chain_entry_id
(an order's promise items), and the tables delivery_run, pickup,
pickup_action and pickup_link (see db/models.py, services/pickup).
"""
from alembic import op
import sqlalchemy as sa


revision = "pickup_1"
down_revision = "capture_1"
branch_labels = None
depends_on = None

PHONE_TAIL_SQL = "substr(phone, length(phone) - 3)"


def upgrade() -> None:
    # SQLite can add only a VIRTUAL generated column to an existing table; PostgreSQL (before 18)
    # only a STORED one. Both index it.
    stored = True if op.get_bind().dialect.name == "postgresql" else False
    op.add_column("chain_entry", sa.Column("phone_tail", sa.String(length=4), sa.Computed(PHONE_TAIL_SQL, persisted=stored), nullable=True))
    op.create_index("ix_chain_entry_phone_tail", "chain_entry", ["phone_tail"], unique=False)
    op.add_column("fulfilment_item", sa.Column("fulfilled_via", sa.String(length=16), nullable=True))
    op.create_index("ix_fulfilment_item_entry", "fulfilment_item", ["chain_entry_id"], unique=False)
    op.create_table(
        "delivery_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("groups", sa.JSON(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("by_name", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["operator.id"]),
        sa.ForeignKeyConstraint(["show_id"], ["show.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_delivery_run_show", "delivery_run", ["show_id", "delivered_at"], unique=False)
    op.create_table(
        "pickup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("chain_entry_id", sa.Integer(), nullable=False),
        sa.Column("picked_qty", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("via", sa.String(length=16), nullable=False),
        sa.Column("delivery_run_id", sa.Integer(), nullable=True),
        sa.Column("first_at", sa.DateTime(), nullable=True),
        sa.Column("last_at", sa.DateTime(), nullable=True),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("by_operator_id", sa.Integer(), nullable=True),
        sa.Column("by_name", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["by_operator_id"], ["operator.id"]),
        sa.ForeignKeyConstraint(["chain_entry_id"], ["chain_entry.id"]),
        sa.ForeignKeyConstraint(["delivery_run_id"], ["delivery_run.id"]),
        sa.ForeignKeyConstraint(["show_id"], ["show.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("chain_entry_id", name="uq_pickup_entry"),
    )
    op.create_index("ix_pickup_show_done", "pickup", ["show_id", "done_at"], unique=False)
    op.create_table(
        "pickup_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pickup_id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("operator_id", sa.Integer(), nullable=True),
        sa.Column("by_name", sa.String(length=64), nullable=False),
        sa.Column("request_key", sa.String(length=64), nullable=True),
        sa.Column("undone", sa.Boolean(), nullable=False),
        sa.Column("undoes_id", sa.Integer(), nullable=True),
        sa.Column("delivery_run_id", sa.Integer(), nullable=True),
        sa.Column("gift_item_ids", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["delivery_run_id"], ["delivery_run.id"]),
        sa.ForeignKeyConstraint(["operator_id"], ["operator.id"]),
        sa.ForeignKeyConstraint(["pickup_id"], ["pickup.id"]),
        sa.ForeignKeyConstraint(["show_id"], ["show.id"]),
        sa.ForeignKeyConstraint(["undoes_id"], ["pickup_action.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("request_key", name="uq_pickup_action_key"),
    )
    op.create_index("ix_pickup_action_pickup", "pickup_action", ["pickup_id", "id"], unique=False)
    op.create_table(
        "pickup_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["show_id"], ["show.id"]),
        sa.ForeignKeyConstraint(["token_id"], ["auth_token.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_id", name="uq_pickup_link_token"),
    )


def downgrade() -> None:
    op.drop_table("pickup_link")
    op.drop_index("ix_pickup_action_pickup", table_name="pickup_action")
    op.drop_table("pickup_action")
    op.drop_index("ix_pickup_show_done", table_name="pickup")
    op.drop_table("pickup")
    op.drop_index("ix_delivery_run_show", table_name="delivery_run")
    op.drop_table("delivery_run")
    # Plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35): a batch copy of chain_entry would trip
    # over the generated column.
    op.drop_index("ix_fulfilment_item_entry", table_name="fulfilment_item")
    op.drop_column("fulfilment_item", "fulfilled_via")
    op.drop_index("ix_chain_entry_phone_tail", table_name="chain_entry")
    op.drop_column("chain_entry", "phone_tail")
