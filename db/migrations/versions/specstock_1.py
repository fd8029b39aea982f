"""specstock: 限量 per spec, and entries beyond it flagged (issue 13 #9)

Revision ID: specstock_1
Revises: pagegrowth_1

Adds deal.spec_stock ({"10斤装": 20}: the seller's stock of a spec, where it has one) and
chain_entry.over_stock (a valid entry beyond its spec's stock: flagged like 超出限购, counted in
entries_flagged / gmv_flagged). No backfill: no deal had a spec stock before.
"""
import sqlalchemy as sa
from alembic import op


revision = "specstock_1"
down_revision = "pagegrowth_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("deal", sa.Column("spec_stock", sa.JSON(), nullable=True))
    op.add_column("chain_entry", sa.Column("over_stock", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    op.drop_column("chain_entry", "over_stock")
    op.drop_column("deal", "spec_stock")
