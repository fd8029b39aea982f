"""scale: the chain entries changed since a time, per deal

Revision ID: scale_1
Revises: night_1

Adds the index chain_entry (deal_id, updated_at): services.promises.follow_chain brings the
promises' items along from the entries a transaction changed (updated_at ≥ its events' time),
without reading the rest of the deal.
"""
from alembic import op


revision = "scale_1"
down_revision = "night_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_chain_entry_deal_updated", "chain_entry", ["deal_id", "updated_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_chain_entry_deal_updated", table_name="chain_entry")
