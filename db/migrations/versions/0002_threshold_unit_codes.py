"""Threshold units as English codes: deal.threshold_unit 份 → units, 人 → people.

The codes are services.jielong.ThresholdUnit; the Chinese labels stay the UI's. On PostgreSQL
the column is widened to VARCHAR(16) first ("people" has six letters). SQLite does not enforce
VARCHAR lengths and could only widen it by rebuilding the deal table (which every chain entry,
tally and promise references), so there the declared type stays as it is (see db/models.py).

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CODES = {"份": "units", "人": "people"}


def _convert(mapping: dict[str, str]) -> None:
    deal = sa.table("deal", sa.column("threshold_unit", sa.String))
    for old, new in mapping.items():
        op.execute(deal.update().where(deal.c.threshold_unit == old).values(threshold_unit=new))


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("deal", "threshold_unit", type_=sa.String(16), existing_type=sa.String(4), existing_nullable=False)
    _convert(CODES)


def downgrade() -> None:
    _convert({new: old for old, new in CODES.items()})
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("deal", "threshold_unit", type_=sa.String(4), existing_type=sa.String(16), existing_nullable=False)
