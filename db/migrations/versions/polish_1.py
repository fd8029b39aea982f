"""polish: show_buyer.kept_entries, so 下单人数 after a failed deal is a tally, not a chain scan

Revision ID: polish_1
Revises: members_4

A name whose only orders were in a deal that failed its 成团 threshold (未成团, refunded) bought
nothing. The live snapshot and the review counted such a night's 下单人数 by scanning chain_entry
(41–69 ms per live refresh at 100,000 entries). show_buyer.kept_entries now holds each name's
valid entries in deals that did not fail, kept by services.jielong.buyers with the chain and the
deal's outcome, and show.buyers counts the names with one. Backfilled from deal_buyer; the
downgrade drops the column and gives show.buyers back its old meaning (every name with a valid
entry).

Members: a night a member ordered in now counts among their 观看场次 (member_show.watched), seen by
a capture tool or not, so 观看场次 is never below 下单场次. member_show rows are written when a show's
members are synced: every synced show is marked stale (member_sync.version = -1) and recounted the
next time the review or the members page opens it (as members_4 did).
"""
import sqlalchemy as sa
from alembic import op


revision = "polish_1"
down_revision = "members_4"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("show_buyer", sa.Column("kept_entries", sa.Integer(), server_default="0", nullable=False))
    op.execute(
        "UPDATE show_buyer SET kept_entries = COALESCE((SELECT SUM(db.valid_entries) FROM deal_buyer db"
        " JOIN deal d ON d.id = db.deal_id WHERE d.show_id = show_buyer.show_id AND db.name = show_buyer.name"
        " AND d.status <> 'failed'), 0)"
    )
    _recount("kept_entries")
    op.execute("UPDATE member_sync SET version = -1")


def downgrade() -> None:  # the stale marks only cause a recount
    with op.batch_alter_table("show_buyer") as batch:
        batch.drop_column("kept_entries")
    _recount("valid_entries")


def _recount(column: str) -> None:
    op.execute(
        f'UPDATE "show" SET buyers = (SELECT COUNT(*) FROM show_buyer sb WHERE sb.show_id = "show".id'
        f" AND sb.{column} > 0)"
    )
