"""pickup: chain_entry.pickup_point, the point each order names, so the counter finds 西门菜站 in SQL

Revision ID: pickup_2
Revises: members_5

The counter's search by pickup point (typing 「西门菜站」 finds the orders picked up there) read every
distinct (address, note) pair of the show into Python and ran the point rule on each, per search;
addresses with rooms are unique, so it read the whole show (name lookups at 100,000 entries: p95
65.7 → 161 ms on SQLite, 45.7 → 211 ms on PostgreSQL). The point is now recorded once, when the
entry is written (services.jielong.intake), in chain_entry.pickup_point, indexed with the deal
(ix_chain_entry_deal_point); NULL when the line names no point.

The backfill reads the existing entries that have an address or a note in batches of BATCH by id
and applies the one rule, services.places.pickup_point (imported, not copied: the column must
agree with what the intake writes). A later change of that rule needs a migration that recomputes
the column the same way. The downgrade drops the column and its index.
"""
import sqlalchemy as sa
from alembic import op

from services.places import POINT_LENGTH, pickup_point

revision = "pickup_2"
down_revision = "buyerid_1"
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade() -> None:
    op.add_column("chain_entry", sa.Column("pickup_point", sa.String(length=POINT_LENGTH), nullable=True))
    backfill(op.get_bind())
    op.create_index("ix_chain_entry_deal_point", "chain_entry", ["deal_id", "pickup_point"])


def backfill(conn) -> int:
    """Set pickup_point on every entry whose address or note names one; returns how many."""
    read = sa.text(
        "SELECT id, address, note FROM chain_entry WHERE id > :after"
        " AND (COALESCE(address, '') <> '' OR COALESCE(note, '') <> '') ORDER BY id LIMIT :n"
    )
    write = sa.text("UPDATE chain_entry SET pickup_point = :point WHERE id = :id")
    after, written = 0, 0
    while rows := conn.execute(read, {"after": after, "n": BATCH}).all():
        points = [{"id": i, "point": p} for i, a, n in rows if (p := pickup_point(a or "", n or ""))]
        if points:
            conn.execute(write, points)
            written += len(points)
        after = rows[-1][0]
    return written


def downgrade() -> None:
    # Plain ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35), as pickup_1: a batch copy of chain_entry
    # would trip over its computed phone_tail.
    op.drop_index("ix_chain_entry_deal_point", table_name="chain_entry")
    op.drop_column("chain_entry", "pickup_point")
