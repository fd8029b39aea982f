"""members: a failed deal's orders (未成团, refunded) are neither orders nor spend

Revision ID: members_4
Revises: showtwin_1

member_show's orders, units and spend (and the LTV, cohort and board figures read from them) now
leave out the entries of a deal that failed its 成团 threshold, as 复盘's 成交额 does
(services.jielong.gmv_counts / deal_gmv_counts: the group was told 将原路退款). They are written
when a show's members are synced, so every show synced before this revision is marked stale
(member_sync.version = -1): the review and the members page recount each one the next time they
open it. No schema change.
"""
from alembic import op


revision = "members_4"
down_revision = "showtwin_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE member_sync SET version = -1")


def downgrade() -> None:
    pass  # the stale marks only cause a recount
