"""members: a member's spend counts only what the review's 成交额 counts

Revision ID: members_3
Revises: members_2

member_show's spend (and the LTV and cohort figures summed from it) now leaves out entries flagged
over the 限购, missing from the latest paste or over a spec's 限量, as 复盘's 成交额 does
(services.jielong.gmv_amount). Spend is written when a show's members are synced, so every show
synced before this revision is marked stale (member_sync.version = -1): the review and the members
page recount each one the next time they open it. No schema change.
"""
from alembic import op


revision = "members_3"
down_revision = "members_2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("UPDATE member_sync SET version = -1")


def downgrade() -> None:
    pass  # the stale marks only cause a recount
