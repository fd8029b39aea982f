"""promise.min_qty (满两份送砂糖橘) and show.host_deal_id (the deal on the host screen)

Revision ID: hosttalk_1
Revises: pickup_1

Backs the promise scope min_qty (services.promises.Scope.MIN_QTY): one fulfilment item per
buyer whose valid entries of the deal add up to at least min_qty. show.host_deal_id is the deal
the assistant chose for the host screen (NULL: the last released deal); no foreign key, a stale
id is ignored.
"""
from alembic import op
import sqlalchemy as sa


revision = "hosttalk_1"
down_revision = "pickup_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("promise", sa.Column("min_qty", sa.Integer(), nullable=True))
    op.add_column("show", sa.Column("host_deal_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("promise") as batch:
        batch.drop_column("min_qty")
    with op.batch_alter_table("show") as batch:
        batch.drop_column("host_deal_id")
