"""members: comments answered by others buying (the second KOC suggestion rule)

Revision ID: members_2
Revises: pagegrowth_1

Adds member_show.led: how many of a member's comments in a show were followed, within
KOC_LED_MINUTES, by at least KOC_LED_BUYERS other people entering the deal on sale (and by at
least KOC_LED_LIFT times as many as in the minutes before the comment); see services.members.labels and tally._led. Written
when a show's members are synced: the shows synced before this revision are marked stale
(member_sync.version = -1), so the review recounts each one the next time it is opened.

Also adds the index show (community_id, scheduled_start): the night's badges count a community's
earlier and later shows around the one on screen (services.members.badging) from an index range.
"""
import sqlalchemy as sa
from alembic import op


revision = "members_2"
down_revision = "specstock_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("member_show", sa.Column("led", sa.Integer(), nullable=False, server_default="0"))
    op.execute("UPDATE member_sync SET version = -1")
    op.create_index("ix_show_community_start", "show", ["community_id", "scheduled_start"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_show_community_start", table_name="show")
    with op.batch_alter_table("member_show") as batch:
        batch.drop_column("led")
