"""buyerid: show_buyer is kept per person (name and building), so 下单人数 counts 同名 neighbours apart

Revision ID: buyerid_1
Revises: members_5

A chain line is its name and the building it names (services.members.who_is): `王芳 2份 5栋` and
`王芳 1份 12栋` are two members, but show_buyer was keyed by name, so the live 下单人数 (and the
review's, which reads the same Show.buyers) counted them as one. show_buyer gets `building` in its
key; its rows are rebuilt from the chain (valid entries grouped in SQL per show, name and address,
the building read by services.buildings as the intake does) and every show's buyers recounted by
services.jielong.buyers' rule. The downgrade folds the rows back per name.
"""
from collections import Counter

import sqlalchemy as sa
from alembic import op

from services.buildings import home_building

revision = "buyerid_1"
down_revision = "members_5"
branch_labels = None
depends_on = None

_ROWS = (
    "SELECT d.show_id, ce.buyer_name, ce.address, COUNT(*), SUM(CASE WHEN d.status <> 'failed' THEN 1 ELSE 0 END)"
    " FROM chain_entry ce JOIN deal d ON d.id = ce.deal_id WHERE ce.status = 'valid'"
    " GROUP BY d.show_id, ce.buyer_name, ce.address"
)
# people_of (services.jielong.buyers) in SQL: one per building, lines without one join a lone building.
_RECOUNT = (
    'UPDATE "show" SET buyers = (SELECT COALESCE(SUM(p.placed + CASE WHEN p.bare = 1 AND p.placed <> 1'
    " THEN 1 ELSE 0 END), 0) FROM (SELECT SUM(CASE WHEN sb.building <> '' THEN 1 ELSE 0 END) AS placed,"
    " MAX(CASE WHEN sb.building = '' THEN 1 ELSE 0 END) AS bare FROM show_buyer sb"
    ' WHERE sb.show_id = "show".id AND sb.kept_entries > 0 GROUP BY sb.name) p)'
)


def _table(with_building: bool) -> None:
    cols = [sa.Column("show_id", sa.Integer(), nullable=False), sa.Column("name", sa.String(length=100), nullable=False)]
    if with_building:
        cols.append(sa.Column("building", sa.String(length=50), server_default="", nullable=False))
    key = ["show_id", "name", "building"] if with_building else ["show_id", "name"]
    op.create_table(
        "show_buyer", *cols,
        sa.Column("valid_entries", sa.Integer(), nullable=False),
        sa.Column("kept_entries", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["show_id"], ["show.id"]),
        sa.PrimaryKeyConstraint(*key),
    )
    op.create_index("ix_show_buyer_name", "show_buyer", ["name", "show_id"], unique=False)


def _rebuild(with_building: bool) -> None:
    conn = op.get_bind()
    rows: Counter = Counter()
    for show_id, name, address, valid, kept in conn.execute(sa.text(_ROWS)):
        key = (show_id, name, home_building(address or "") if with_building else "")
        rows[key + ("v",)] += valid
        rows[key + ("k",)] += kept or 0
    op.drop_index("ix_show_buyer_name", table_name="show_buyer")
    op.drop_table("show_buyer")
    _table(with_building)
    people = sorted({k[:3] for k in rows})
    table = sa.table("show_buyer", sa.column("show_id"), sa.column("name"), sa.column("valid_entries"),
                     sa.column("kept_entries"), *([sa.column("building")] if with_building else []))
    values = [{"show_id": s, "name": n, "valid_entries": rows[(s, n, b, "v")], "kept_entries": rows[(s, n, b, "k")],
               **({"building": b} if with_building else {})} for s, n, b in people]
    for i in range(0, len(values), 1000):
        conn.execute(sa.insert(table), values[i:i + 1000])
    conn.execute(sa.text(_RECOUNT if with_building else
                         'UPDATE "show" SET buyers = (SELECT COUNT(*) FROM show_buyer sb'
                         ' WHERE sb.show_id = "show".id AND sb.kept_entries > 0)'))


def upgrade() -> None:
    _rebuild(True)


def downgrade() -> None:
    _rebuild(False)
