"""a night without quiet errors: per-spec prices, flagged entries apart, GMV as a tally

Revision ID: night_1
Revises: members_1

Adds show.rehearsal (a show the simulator may write into, left out of comparisons),
deal.spec_prices (a price per spec), chain_entry.unit_price (the entry's spec price), and
the deal tallies entries_flagged / units_flagged (valid entries flagged 超出限购 or 缺失) and
gmv_valid / gmv_flagged (money of the unflagged / flagged valid entries), backfilled from the
entries (see services.jielong.plan.totals).
"""
from alembic import op
import sqlalchemy as sa


revision = "night_1"
down_revision = "members_1"
branch_labels = None
depends_on = None

FLAGGED = "(e.over_limit OR e.missing)"
MONEY = "COALESCE(e.amount, e.qty * COALESCE(e.unit_price, deal.group_price))"


def _backfill(column: str, expr: str, flagged: bool) -> None:
    where = FLAGGED if flagged else f"NOT {FLAGGED}"
    op.execute(
        f"UPDATE deal SET {column} = COALESCE((SELECT {expr} FROM chain_entry e "
        f"WHERE e.deal_id = deal.id AND e.status = 'valid' AND {where}), 0)"
    )


def upgrade() -> None:
    op.add_column("deal", sa.Column("entries_flagged", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("deal", sa.Column("units_flagged", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("deal", sa.Column("gmv_valid", sa.Numeric(14, 2), nullable=False, server_default="0"))
    op.add_column("deal", sa.Column("gmv_flagged", sa.Numeric(14, 2), nullable=False, server_default="0"))
    op.add_column("deal", sa.Column("spec_prices", sa.JSON(), nullable=True))
    op.add_column("chain_entry", sa.Column("unit_price", sa.Numeric(10, 2), nullable=True))
    op.add_column("show", sa.Column("rehearsal", sa.Boolean(), nullable=False, server_default=sa.false()))
    # Shows the simulator made before this revision carry its title mark: rehearsals too.
    op.execute("UPDATE show SET rehearsal = " + ("true" if op.get_bind().dialect.name == "postgresql" else "1")
               + " WHERE title LIKE '%（模拟 %'")
    _backfill("entries_flagged", "COUNT(*)", True)
    _backfill("units_flagged", "SUM(e.qty)", True)
    _backfill("gmv_valid", f"SUM({MONEY})", False)
    _backfill("gmv_flagged", f"SUM({MONEY})", True)
    # The server defaults stay: dropping them would rebuild the deal table on SQLite (every
    # chain entry references it); the models set the values on insert anyway.


def downgrade() -> None:
    op.drop_column("show", "rehearsal")
    op.drop_column("chain_entry", "unit_price")
    for name in ("spec_prices", "gmv_flagged", "gmv_valid", "units_flagged", "entries_flagged"):
        op.drop_column("deal", name)
